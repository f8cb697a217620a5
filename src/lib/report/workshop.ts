/**
 * The workshop's guided story in plain words (no jargon), from one operating row: 100 children
 * referred, how many go on to need help, how many the model flags, the false alarms, the missed,
 * and a comparison of two groups. Numbers are per 100 children (natural frequencies).
 */
import type { OperatingRow, SubgroupResult } from '../bundle/schema.ts';
import { iconCounts, type IconCounts } from '../charts/icon-array.ts';
import { tooFewForPicture } from './policy-view.ts';

export type StoryPicture = 'all' | 'needed' | 'flagged' | 'groups';

export interface StoryStep {
  title: string;
  text: string;
  picture: StoryPicture;
  /** The icon counts to draw (the groups step draws its own). */
  counts: IconCounts | null;
}

const children = (n: number) => `${n} ${n === 1 ? 'child' : 'children'}`;
const was = (n: number) => (n === 1 ? 'was' : 'were');

export const STORY_LENGTH = 6;

/** The six steps at one operating row; null when the counts were withheld. */
export function workshopStory(row: OperatingRow): StoryStep[] | null {
  const c = iconCounts(row);
  if (!c) return null;
  const needed = c.flaggedNeeded + c.missed;
  const flagged = c.flaggedNeeded + c.falseAlarm;
  const neededOnly: IconCounts = { flaggedNeeded: needed, falseAlarm: 0, missed: 0, correctlyNotFlagged: 100 - needed };
  const nobody: IconCounts = { flaggedNeeded: 0, falseAlarm: 0, missed: 0, correctlyNotFlagged: 100 };
  return [
    {
      title: '100 children are referred',
      text: 'Imagine 100 children referred to children’s services in a made-up town. Each circle is one child.',
      picture: 'all',
      counts: nobody,
    },
    {
      title: `${children(needed)} will go on to need help`,
      text: `Within a year, ${children(needed)} of these 100 go on to need a child protection plan or to be taken into care (the filled circles). At the time of the referral, nobody knows which ones.`,
      picture: 'needed',
      counts: neededOnly,
    },
    {
      title: `The computer flags ${children(flagged)}`,
      text: `A computer model gives every child a score from what is already on file. The ${children(flagged)} with the highest scores are flagged for a closer look. Move the slider to flag more or fewer.`,
      picture: 'flagged',
      counts: c,
    },
    {
      title: `${c.falseAlarm} of the ${flagged} flagged ${was(c.falseAlarm)} false alarms`,
      text: `Of the ${children(flagged)} flagged, ${c.flaggedNeeded} did go on to need help. The other ${c.falseAlarm} (the triangles) did not: their families would get extra attention they did not need.`,
      picture: 'flagged',
      counts: c,
    },
    {
      title: `${children(c.missed)} who needed help ${was(c.missed)} missed`,
      text: `Of the ${children(needed)} who went on to need help, ${c.missed} were not flagged (the squares). Flagging more children finds more of them, but brings more false alarms too.`,
      picture: 'flagged',
      counts: c,
    },
    {
      title: 'Is it the same for every group of children?',
      text: 'The same rule is used for everyone. Compare two groups side by side: are false alarms or missed children more common in one of them?',
      picture: 'groups',
      counts: c,
    },
  ];
}

export interface GroupPicture {
  group: string;
  counts: IconCounts | null;
  sentence: string;
}

/** A group's picture and sentence at the row with this topPct (the same global rule). */
export function groupPicture(s: SubgroupResult, topPct: number): GroupPicture {
  const few = tooFewForPicture(s.minimums);
  if (few) return { group: s.group, counts: null, sentence: `${s.group}: ${few}` };
  const row = s.operating?.find((r) => r.topPct === topPct) ?? null;
  const counts = row ? iconCounts(row) : null;
  if (!counts) return { group: s.group, counts: null, sentence: `There are too few ${s.group} children in this town to draw a fair picture.` };
  const flagged = counts.flaggedNeeded + counts.falseAlarm;
  return {
    group: s.group,
    counts,
    sentence: `Of every 100 ${s.group} children referred, ${flagged} are flagged: ${counts.falseAlarm} ${counts.falseAlarm === 1 ? 'is a false alarm' : 'are false alarms'}, and ${counts.missed} who needed help ${was(counts.missed)} missed.`,
  };
}
