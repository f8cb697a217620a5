/** Placeholder until the synth subcommand lands. */
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('candour synth: not available in this build\n');
  return 2;
}
