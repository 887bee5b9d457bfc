import { domain } from '../domain.js';
import { AddTask, CompleteTask } from './commands.js';
import { Task } from './task.js';

// #region handlers
/*
 * Command handlers are thin: load (or create) the aggregate, call one of its methods, save it.
 * The rules live in the aggregate; saving commits its events with it, in one unit of work.
 */
domain.handle(AddTask, async (command, { repository }) => {
  const task = Task.add(command.title);
  await repository(Task).add(task);
  return task.id;
});

domain.handle(CompleteTask, async (command, { repository }) => {
  const task = await repository(Task).get(command.taskId);
  task.complete();
  await repository(Task).add(task);
});
// #endregion handlers
