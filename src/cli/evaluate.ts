/** Placeholder until the evaluate subcommand lands. */
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('candour evaluate: not available in this build\n');
  return 2;
}
