/**
 * The one error create-domain throws on purpose. Its `code` is stable for programs to branch on;
 * its message says what was wrong, what was received and what to do.
 */

/** Exit codes of the `create-domain` command. */
export const ExitCode = { ok: 0, error: 1, usage: 2 } as const;

/** What went wrong, as a stable identifier. */
export type CreateDomainErrorCode =
  | 'MISSING_DIR'
  | 'INVALID_NAME'
  | 'INVALID_STACK'
  | 'INVALID_FRAMEWORK'
  | 'TARGET_NOT_EMPTY'
  | 'TARGET_NOT_A_DIRECTORY'
  | 'TARGET_CLASH'
  | 'TARGET_NOT_WRITABLE'
  | 'PATH_ESCAPES_TARGET'
  | 'FRAMEWORK_PACK_FAILED'
  | 'WRITE_FAILED'
  | 'CANCELLED'
  | 'INSTALL_FAILED';

/**
 * Codes that mean "the command line asks for something this command cannot do": the user fixes
 * the arguments (or the target folder) and runs again. They are all found before the first byte
 * is written, and exit 2, like commander's own usage errors.
 */
const USAGE_CODES: ReadonlySet<CreateDomainErrorCode> = new Set([
  'MISSING_DIR',
  'INVALID_NAME',
  'INVALID_STACK',
  'INVALID_FRAMEWORK',
  'TARGET_NOT_EMPTY',
  'TARGET_NOT_A_DIRECTORY',
  'TARGET_CLASH',
  'TARGET_NOT_WRITABLE',
]);

/**
 * An error of create-domain, with a stable code and the exit code the CLI uses for it.
 *
 * @example
 * try {
 *   await createProject({ dir: 'my-shop' });
 * } catch (error) {
 *   if (error instanceof CreateDomainError && error.code === 'TARGET_NOT_EMPTY') askAgain();
 * }
 */
export class CreateDomainError extends Error {
  readonly code: CreateDomainErrorCode;

  constructor(code: CreateDomainErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CreateDomainError';
    this.code = code;
  }

  /** 2 for a usage problem (fix the arguments), 1 for everything else. */
  get exitCode(): number {
    return USAGE_CODES.has(this.code) ? ExitCode.usage : ExitCode.error;
  }
}
