/**
 * How to get each external tool gotriage may start. Used by ToolMissingError so the
 * message says what to do next (conventions.md: "dlv not found on PATH: install it with …").
 */
import path from 'node:path';

const INSTALL_HINTS: Readonly<Record<string, string>> = {
  go: 'install Go from https://go.dev/dl and put its bin directory on PATH',
  dlv: 'install it with `go install github.com/go-delve/delve/cmd/dlv@latest` (it lands in $(go env GOPATH)/bin; put that on PATH)',
  dot: "install Graphviz: `apt-get install graphviz` (or your OS's graphviz package, e.g. `brew install graphviz`)",
  git: 'install git with your OS package manager (e.g. `apt-get install git`)',
  gops: 'install it with `go install github.com/google/gops@latest`',
};

/**
 * The install hint for a tool, by its command name or path (`/usr/local/go/bin/go` → go's hint).
 * Unknown tools get a generic "install <tool> or put it on PATH".
 */
export function installHintFor(tool: string): string {
  const name = path.basename(tool);
  return INSTALL_HINTS[name] ?? `install ${name} or put it on PATH`;
}
