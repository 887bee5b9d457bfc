/**
 * Commands declared once. A {@link CommandSpec} says everything about a command (name,
 * description, arguments, options with their parser, choices, default and environment variable);
 * {@link addCommand} builds the commander command from it, {@link OptionsOf} and
 * {@link ArgumentsOf} type what its `run` receives, and the CLI reference page is generated from
 * the same commands (see reference.ts). Nothing here imports what a command does: `run` loads it.
 */
import { Argument, Option } from 'commander';
import type { Command } from 'commander';
import type { CliIo } from './io.js';

/** One option of a command. */
export interface OptionSpec {
  /** commander's flags: `--json`, `-y, --yes`, `--limit <n>` (a value), `--ids <id...>` (several). */
  readonly flags: string;
  /** What `--help` and the CLI reference say about it. */
  readonly description: string;
  /** Turns the text given into the value; throws commander's `InvalidArgumentError` when bad. */
  readonly parse?: (value: string) => unknown;
  /** The only values accepted (listed by `--help`); the option's type is their union. */
  readonly choices?: readonly string[];
  /** The value when the option is not given (shown by `--help`); the option is then always set. */
  readonly default?: unknown;
  /** An environment variable that gives the value when the option is not given. */
  readonly env?: string;
  /** Without it the command is bad usage (exit code 2). */
  readonly required?: boolean;
}

/** One positional argument of a command. */
export interface ArgumentSpec {
  /** `<name>` (required), `[name]` (optional), `<name...>` (one or more). */
  readonly name: string;
  readonly description: string;
  /** The only values accepted; the argument's type is their union. */
  readonly choices?: readonly string[];
}

/** What a command's `run` receives: its parsed arguments and options, and the process's io. */
export interface Invocation<A extends readonly ArgumentSpec[], O extends readonly OptionSpec[]> {
  readonly args: ParsedArguments<A>;
  readonly options: ParsedOptions<O>;
  readonly io: CliIo;
}

/** A command that does something: `protean server`, `protean dlq replay <id>`. */
export interface CommandSpec<
  A extends readonly ArgumentSpec[] = readonly ArgumentSpec[],
  O extends readonly OptionSpec[] = readonly OptionSpec[],
> {
  readonly name: string;
  /** One line, lower case, no final period: shown by `--help` and in the reference. */
  readonly description: string;
  readonly arguments?: A;
  readonly options?: O;
  /** Text `--help` prints after the generated part. */
  readonly helpAfter?: string;
  /**
   * Commands under this one (`protean server service ...` besides `protean server`). Its own
   * options are then taken only before a subcommand's name, so a subcommand may reuse them.
   */
  readonly commands?: readonly Spec[];
  /**
   * Does the work. It imports its implementation with `import()`, so that building the program
   * (and `--help`) loads none of it. Throw a `CommandFailure` to choose the exit code.
   */
  run(invocation: Invocation<A, O>): Promise<void>;
}

/** A command that only holds others: `protean db`, `protean dlq`. */
export interface GroupSpec {
  readonly name: string;
  readonly description: string;
  readonly commands: readonly Spec[];
  readonly helpAfter?: string;
}

/** A command or a group of them. */
// `any`: a list of commands holds specs of every argument and option shape; `run` stays typed
// in each spec, where `command()` checks it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Spec = CommandSpec<any, any> | GroupSpec;

/**
 * Declares a command; the `const` type parameters keep the flags as literal types, from which
 * the options `run` receives are typed.
 */
export function command<
  const A extends readonly ArgumentSpec[] = [],
  const O extends readonly OptionSpec[] = [],
>(spec: CommandSpec<A, O>): CommandSpec<A, O> {
  return spec;
}

/** Declares a group of commands. */
export function group(spec: GroupSpec): GroupSpec {
  return spec;
}

/** Whether `spec` is a group of commands. */
export function isGroup(spec: Spec): spec is GroupSpec {
  return !('run' in spec);
}

// ------------------------------------------------------------------------------------------
// Types of the parsed options and arguments, read off the specs.
// ------------------------------------------------------------------------------------------

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

type LongFlag<Flags extends string> = Flags extends `${string}--${infer Long}`
  ? Long extends `${infer Name} ${string}`
    ? Name
    : Long
  : never;

/** The property commander stores an option under: `-y, --yes` → `yes`, `--log-level <l>` → `logLevel`. */
export type OptionKey<Flags extends string> = Camel<LongFlag<Flags>>;

type Choice<S> = S extends { readonly choices: readonly (infer C extends string)[] } ? C : string;

type OptionValue<O extends OptionSpec> = O extends { readonly parse: (value: string) => infer V }
  ? V
  : O['flags'] extends `${string}<${string}...>`
    ? Choice<O>[]
    : O['flags'] extends `${string}<${string}>`
      ? Choice<O>
      : boolean;

type AlwaysSet<O> = O extends { readonly required: true } | { readonly default: unknown }
  ? true
  : false;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The options object commander hands over for `options` (see {@link OptionsOf}). */
export type ParsedOptions<O extends readonly OptionSpec[]> = Simplify<
  {
    [S in O[number] as AlwaysSet<S> extends true ? OptionKey<S['flags']> : never]: OptionValue<S>;
  } & {
    [S in O[number] as AlwaysSet<S> extends true ? never : OptionKey<S['flags']>]?:
      OptionValue<S> | undefined;
  }
>;

type ArgumentValue<A extends ArgumentSpec> = A['name'] extends `${string}...${string}`
  ? Choice<A>[]
  : A['name'] extends `[${string}]`
    ? Choice<A> | undefined
    : Choice<A>;

/** The positional arguments, in order, for `args` (see {@link ArgumentsOf}). */
export type ParsedArguments<A extends readonly ArgumentSpec[]> = {
  readonly [K in keyof A]: A[K] extends ArgumentSpec ? ArgumentValue<A[K]> : never;
};

/**
 * The options a command's `run` receives: one property per option, named as commander names it;
 * a flag is a boolean, a value a string (or its parser's result, or one of its choices); options
 * without a default or `required` may be `undefined`.
 */
export type OptionsOf<C> = C extends CommandSpec<infer _A, infer O> ? ParsedOptions<O> : never;

/** The positional arguments a command's `run` receives, as a tuple. */
export type ArgumentsOf<C> = C extends CommandSpec<infer A, infer _O> ? ParsedArguments<A> : never;

// ------------------------------------------------------------------------------------------
// Building the commander commands.
// ------------------------------------------------------------------------------------------

/**
 * Adds the command `spec` (with its subcommands) under `parent`. Created with
 * `parent.command()`, it inherits the parent's output, help option and exit override.
 */
export function addCommand(parent: Command, spec: Spec, io: CliIo): Command {
  const built = parent.command(spec.name).description(spec.description);
  const path = commandPath(built);
  if (spec.helpAfter !== undefined) built.addHelpText('after', spec.helpAfter);
  if (isGroup(spec)) {
    built.showHelpAfterError(`(run \`${path} --help\` to see its commands)`);
    for (const child of spec.commands) addCommand(built, child, io);
    return built;
  }
  for (const argument of spec.arguments ?? []) built.addArgument(toArgument(argument));
  for (const option of spec.options ?? []) built.addOption(toOption(option));
  built.showHelpAfterError(`(run \`${path} --help\` to see its options)`);
  built.action(async () => {
    // commander's values are untyped; the spec they were parsed by is what types them.
    const invocation = { args: built.processedArgs, options: built.opts(), io } as never;
    await spec.run(invocation);
  });
  if (spec.commands) built.enablePositionalOptions();
  for (const child of spec.commands ?? []) addCommand(built, child, io);
  return built;
}

/** The words that run `command`: `protean dlq list`. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.choices) option.choices(spec.choices);
  const { parse } = spec;
  if (parse) {
    // After the choices' own check, when there are both.
    const check = option.parseArg;
    option.argParser((value: string, previous: unknown) =>
      parse(check ? (check(value, previous) as string) : value),
    );
  }
  if (spec.default !== undefined) option.default(spec.default);
  if (spec.env !== undefined) option.env(spec.env);
  if (spec.required) option.makeOptionMandatory();
  return option;
}

function toArgument(spec: ArgumentSpec): Argument {
  const argument = new Argument(spec.name, spec.description);
  if (spec.choices) argument.choices(spec.choices);
  return argument;
}
