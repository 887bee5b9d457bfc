/** What the CLI prints when it is done: the file list of a dry run, or the next steps. */
import type { CreatedProject } from './create-project.js';
import type { Style } from './reporter.js';

/**
 * The closing message for a created (or, with `dryRun`, planned) project.
 *
 * @example
 * process.stdout.write(formatSummary(project, styleFor(process.stdout, process.env)));
 */
export function formatSummary(project: CreatedProject, style: Style): string {
  return project.dryRun ? formatDryRun(project, style) : formatCreated(project, style);
}

function formatDryRun(project: CreatedProject, style: Style): string {
  const replaced = new Set(project.replaced);
  const lines = project.files.map((path) => {
    const note = replaced.has(path) ? style.yellow(' (replaces an existing file)') : '';
    const packed = path.startsWith('vendor/') ? ' (protean-ts, packed when written)' : '';
    return `  ${path}${packed}${note}`;
  });
  return [
    `Dry run: create-domain would write ${project.files.length} files to ${project.targetDir}:`,
    ...lines,
    `Nothing was written. Run again without --dry-run to create ${project.packageName}.`,
    '',
  ].join('\n');
}

function formatCreated(project: CreatedProject, style: Style): string {
  const replaced = project.replaced.length
    ? ` (${project.replaced.length} of them replaced existing files)`
    : '';
  return [
    `${style.green('Created')} ${style.bold(project.packageName)} (domain ${project.domainName}) ` +
      `in ${project.targetDir}: ${project.files.length} files${replaced}.`,
    '',
    `protean-ts: ${project.framework}`,
    '',
    ...(project.services.length > 0
      ? [
          'It needs, running:',
          ...project.services.map((service) => `  - ${service}`),
          '  (`docker compose up -d --wait` starts them from docker-compose.yml)',
          '',
        ]
      : []),
    'Next steps:',
    ...project.nextSteps.map((step) => `  ${style.cyan(step)}`),
    '',
  ].join('\n');
}
