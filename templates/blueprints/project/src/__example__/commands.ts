import { field } from 'protean-ts';
import { domain } from '../domain.js';

// #region commands
/** Asks to add a task with this title. */
export const AddTask = domain.command(
  'AddTask',
  { title: field.string({ required: true, maxLength: 200 }) },
  { partOf: 'Task' },
);

/** Asks to complete the task `taskId`. */
export const CompleteTask = domain.command(
  'CompleteTask',
  { taskId: field.identifier({ required: true, identifier: true }) },
  { partOf: 'Task' },
);
// #endregion commands
