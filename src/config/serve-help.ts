import { envListNote, type FlagDeclaration } from './flag-declaration.js';

const WIDTH = 100;

/** The parser's own flag, not a setting: listed last in help, absent from the README table. */
export const HELP_FLAG = { name: 'help', short: 'h', help: 'this help' } as const;

/** `--port, -p PORT`: how help names a flag. */
function flagLabel(flag: Pick<FlagDeclaration, 'name' | 'short' | 'arg'>): string {
  return `--${flag.name}${flag.short ? `, -${flag.short}` : ''}${flag.arg ? ` ${flag.arg}` : ''}`;
}

function describe(flag: FlagDeclaration): string {
  const repeatable = flag.repeatable ? '; repeatable' : '';
  const note = envListNote(flag);
  const env = flag.env ? ` [${flag.env}${note ? `, ${note}` : ''}]` : '';
  const fallback = flag.defaultIsLiteral ? `default ${flag.defaultText}` : `default: ${flag.defaultText}`;
  return `${flag.help}${repeatable}${env} (${fallback})`;
}

/** Breaks text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** `kube-node-gateway serve --help`, one entry per declared flag. */
export function renderServeHelp(flags: readonly FlagDeclaration[]): string {
  const rows = [
    ...flags.map((flag) => [flagLabel(flag), describe(flag)] as const),
    [flagLabel({ ...HELP_FLAG, arg: undefined }), HELP_FLAG.help] as const,
  ];
  const labelWidth = Math.max(...rows.map(([label]) => label.length)) + 2;
  const body = rows.flatMap(([label, text]) =>
    wrap(text, WIDTH - 2 - labelWidth).map(
      (line, i) => `  ${(i === 0 ? label : '').padEnd(labelWidth)}${line}`,
    ),
  );
  return `Usage: kube-node-gateway serve [flags]

Serves the GraphQL API (HTTP, SSE and graphql-ws on /graphql), /healthz, /readyz and /metrics.
Flags win over environment variables, which win over defaults.

Clusters come from the first of: the --kubeconfig files, else the KUBECONFIG files, else
~/.kube/config, else (in a pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT set and a
token in --service-account-dir) the pod's own cluster, served as context in-cluster.

Flags (environment variable in brackets):
${body.join('\n')}
`;
}
