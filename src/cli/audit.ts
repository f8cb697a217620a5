/** Placeholder until the audit subcommand lands. */
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('candour audit: not available in this build\n');
  return 2;
}
