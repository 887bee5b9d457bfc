import { field } from 'protean-ts';
import { domain } from '../domain.js';

// #region events
/** A task was added to the list: the first fact in every task's stream. */
export const TaskAdded = domain.event(
  'TaskAdded',
  {
    taskId: field.identifier({ required: true }),
    title: field.string({ required: true, maxLength: 200 }),
  },
  { partOf: 'Task' },
);

/** A task was completed. */
export const TaskCompleted = domain.event(
  'TaskCompleted',
  { taskId: field.identifier({ required: true }) },
  { partOf: 'Task' },
);
// #endregion events
