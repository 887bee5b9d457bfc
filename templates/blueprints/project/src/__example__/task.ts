import { field, InvariantViolation } from 'protean-ts';
import { domain } from '../domain.js';
import { TaskAdded, TaskCompleted } from './events.js';

// #region aggregate
/**
 * A piece of work to do: the example aggregate. Its fields declare the data (the TypeScript types
 * are inferred from them); its methods are the only way its state changes, and each change raises
 * the event that records it.
 */
export class Task extends domain.aggregate(
  'Task',
  {
    title: field.string({ required: true, maxLength: 200 }),
    status: field.choice(['open', 'done'], { default: 'open' }),
  },
  {
    // Checked before every method call: a rule named for what it guarantees.
    preconditions: { doneTasksAreFinal },
  },
) {
  /** Adds a new, open task: the one way a task comes into being. */
  static add(title: string): Task {
    const task = new Task({ title });
    task.raise(TaskAdded, { taskId: task.id, title: task.title });
    return task;
  }

  /** Marks the task done. */
  complete(): void {
    this.status = 'done';
    this.raise(TaskCompleted, { taskId: this.id });
  }
}

/** A done task is final: nothing changes it any more. */
function doneTasksAreFinal(task: { readonly title: string; readonly status: string }): void {
  if (task.status === 'done') {
    throw new InvariantViolation(`task "${task.title}" is done, and a done task cannot change`);
  }
}
// #endregion aggregate
