import { field } from 'protean-ts';
import { domain } from '../domain.js';
import { TaskAdded, TaskCompleted } from './events.js';

// #region projection
/** The task list as people read it: one row per task, kept up to date from the task events. */
export const TaskSummary = domain.projection('TaskSummary', {
  taskId: field.identifier({ identifier: true }),
  title: field.string({ required: true }),
  status: field.string({ required: true }),
});

domain
  .projector('TaskSummaryProjector', { projections: [TaskSummary], idempotent: true })
  .on(TaskAdded, async (event, { repository }) => {
    await repository(TaskSummary).add(
      new TaskSummary({ taskId: event.taskId, title: event.title, status: 'open' }),
    );
  })
  .on(TaskCompleted, async (event, { repository }) => {
    const row = await repository(TaskSummary).get(event.taskId);
    row.status = 'done';
    await repository(TaskSummary).add(row);
  });
// #endregion projection
