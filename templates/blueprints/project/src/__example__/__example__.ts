import { field, InvariantViolation } from 'protean-ts';
import { domain } from '../domain.js';

/**
 * A piece of work to do: the example aggregate. Its fields declare the data (the TypeScript types
 * are inferred from them); its methods hold the business rules.
 */
export class Task extends domain.aggregate('Task', {
  title: field.string({ required: true, maxLength: 200 }),
  status: field.choice(['open', 'done'], { default: 'open' }),
}) {
  /** Marks the task done. Completing a task that is already done is a mistake, so it is refused. */
  complete(): void {
    if (this.status === 'done') {
      throw new InvariantViolation(
        `Task "${this.title}" is already done; reopen it before completing it again.`,
      );
    }
    this.status = 'done';
  }

  /** Opens a done task again. */
  reopen(): void {
    if (this.status === 'open') {
      throw new InvariantViolation(
        `Task "${this.title}" is already open; there is nothing to reopen.`,
      );
    }
    this.status = 'open';
  }
}
