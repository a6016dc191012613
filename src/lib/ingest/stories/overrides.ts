/**
 * Editor overrides (`overrides.yaml`, schema.ts `overridesSchema`): a pure
 * stage between grouping and the digest. It takes the grouping as it came out
 * (assignments and stories, whatever made them: it reads nothing of the
 * grouping's internals) and the parsed overrides, and returns the corrected
 * grouping, what it did, and what it skipped. The digest then runs on the
 * corrected stories, so summaries, quotes, "only here", timelines and related
 * stories follow the editor.
 *
 * Order, so the result never depends on the order of the file's entries:
 *  1. `articles.<id>.hidden: true`: the article leaves its story and every
 *     output; a copy of it becomes an original (its original is not published).
 *  2. `stories.<id>.merge`, by survivor id: the listed stories' articles join
 *     the survivor; merges chain (a merged into b, b into c: all in c). A
 *     story merged into two others stays with the first (by id) and the
 *     second is skipped.
 *  3. `articles.<id>.story`, by article id: the article moves; a target that
 *     was merged away means its survivor.
 *  4. `stories.<id>.headline`: pinned on the story (not on one merged away).
 * A story left with no articles disappears; if its founding article was moved
 * elsewhere, its URL leads there, as a merged story's does (`mergedFrom`).
 * The machine grouping's own state (story ids, membership across builds) is
 * not touched: removing an override gives back exactly the machine grouping.
 */
import type { Overrides, StoryEdit } from '../../schema.ts';
import type { Assignment } from '../types.ts';
import type { ClusteredStory } from './group.ts';

/** The grouping as any grouping stage gives it. */
export interface Grouping {
  assignments: Map<string, Assignment>;
  stories: ClusteredStory[];
}

/** What the digest adds to a story's record for the editor (pipeline.ts `digestStory`). */
export interface EditorNotes {
  /** Shown instead of the headline the digest chooses. */
  headline?: string;
  /** Stories folded into this one; their pages lead here. */
  mergedFrom: string[];
  edits: StoryEdit[];
}

export interface OverriddenStory extends ClusteredStory {
  /** Present only when an editor changed the story. */
  editor?: EditorNotes;
}

export interface OverrideResult {
  assignments: Map<string, Assignment>;
  stories: OverriddenStory[];
  /** Article ids hidden (those that exist), sorted. */
  hidden: string[];
  /** Overrides applied, by key (`articles.x.hidden`, `stories.y.merge.z`), in the order above. */
  applied: string[];
  /** Overrides not applied, by key, with why (an id that names nothing, a conflict). */
  skipped: Array<{ override: string; reason: string }>;
}

export const NO_OVERRIDES: Overrides = { stories: {}, articles: {} };

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Applies `overrides` to `grouping`. `order` sorts a story's members (the
 * grouping's own order: chronological); without it members keep the order
 * they arrive in (survivor's first).
 */
export function applyOverrides(grouping: Grouping, overrides: Overrides, order?: (a: string, b: string) => number): OverrideResult {
  if (!Object.keys(overrides.stories).length && !Object.keys(overrides.articles).length) {
    return { assignments: grouping.assignments, stories: grouping.stories, hidden: [], applied: [], skipped: [] };
  }
  const applied: string[] = [];
  const skipped: OverrideResult['skipped'] = [];
  const skip = (override: string, reason: string) => skipped.push({ override, reason });
  const byId = new Map(grouping.stories.map((s) => [s.id, s]));
  /** Story id -> its member ids, as they change. */
  const members = new Map(grouping.stories.map((s) => [s.id, [...s.articles]]));
  const storyOf = new Map([...grouping.assignments].map(([id, a]) => [id, a.story]));
  const assignments = new Map(grouping.assignments);
  const notes = new Map<string, Notes>();
  const note = (story: string): Notes => {
    let n = notes.get(story);
    if (!n) notes.set(story, (n = { movedIn: [], movedOut: [], hidden: 0 }));
    return n;
  };
  const leave = (article: string, story: string) => {
    const list = members.get(story);
    if (list) members.set(story, list.filter((id) => id !== article));
  };

  // 1. Hidden articles.
  const hidden: string[] = [];
  for (const id of Object.keys(overrides.articles).sort(byText)) {
    if (overrides.articles[id].hidden !== true) continue;
    const key = `articles.${id}.hidden`;
    const story = storyOf.get(id);
    if (story === undefined) {
      skip(key, `no article ${id}`);
      continue;
    }
    leave(id, story);
    storyOf.delete(id);
    assignments.delete(id);
    note(story).hidden++;
    hidden.push(id);
    applied.push(key);
  }
  const hiddenSet = new Set(hidden);
  if (hiddenSet.size) {
    // A republication of a hidden article is published as an original: its original is not.
    for (const [id, a] of assignments) if (a.copyOf && hiddenSet.has(a.copyOf)) assignments.set(id, { ...a, copyOf: null });
  }

  // 2. Merges, survivor by survivor.
  const mergedInto = new Map<string, string>();
  const root = (id: string): string => {
    let at = id;
    for (let next = mergedInto.get(at); next !== undefined; next = mergedInto.get(at)) at = next;
    return at;
  };
  for (const survivor of Object.keys(overrides.stories).sort(byText)) {
    for (const gone of overrides.stories[survivor].merge ?? []) {
      const key = `stories.${survivor}.merge.${gone}`;
      if (!byId.has(survivor)) {
        skip(key, `no story ${survivor}`);
        continue;
      }
      if (!byId.has(gone)) {
        skip(key, `no story ${gone}`);
        continue;
      }
      const to = root(survivor);
      const from = root(gone);
      if (from === to) {
        skip(key, gone === survivor ? 'a story cannot be merged into itself' : `${gone} is already part of ${to}`);
        continue;
      }
      if (from !== gone) {
        skip(key, `${gone} is already merged into ${from}`);
        continue;
      }
      mergedInto.set(gone, to);
      const moving = members.get(gone) ?? [];
      for (const id of moving) {
        storyOf.set(id, to);
        assignments.set(id, { ...assignments.get(id)!, story: to });
      }
      members.set(to, [...(members.get(to) ?? []), ...moving]);
      members.set(gone, []);
      // Hidden articles of the merged story are the survivor's to report now.
      const carried = notes.get(gone);
      if (carried) {
        note(to).hidden += carried.hidden;
        notes.delete(gone);
      }
      applied.push(key);
    }
  }

  // 3. Moves.
  for (const id of Object.keys(overrides.articles).sort(byText)) {
    const target = overrides.articles[id].story;
    if (target === undefined) continue;
    const key = `articles.${id}.story`;
    if (hiddenSet.has(id)) {
      skip(key, `${id} is hidden`);
      continue;
    }
    const from = storyOf.get(id);
    if (from === undefined) {
      skip(key, `no article ${id}`);
      continue;
    }
    if (!byId.has(target)) {
      skip(key, `no story ${target}`);
      continue;
    }
    const to = root(target);
    if (from === to) {
      skip(key, `${id} is already in ${to}`);
      continue;
    }
    leave(id, from);
    members.set(to, [...(members.get(to) ?? []), id]);
    storyOf.set(id, to);
    // Similarity to the story it was grouped into says nothing about this one.
    assignments.set(id, { ...assignments.get(id)!, story: to, score: 0, shared: [] });
    note(to).movedIn.push({ article: id, from });
    note(from).movedOut.push(to);
    applied.push(key);
  }

  // A story emptied by moves leads to where its founding article went.
  for (const s of grouping.stories) {
    if (mergedInto.has(s.id) || (members.get(s.id) ?? []).length > 0) continue;
    const went = storyOf.get(s.founder);
    if (went !== undefined && went !== s.id && (members.get(went) ?? []).length > 0) mergedInto.set(s.id, went);
  }

  // 4. Pinned headlines.
  for (const id of Object.keys(overrides.stories).sort(byText)) {
    const headline = overrides.stories[id].headline;
    if (headline === undefined) continue;
    const key = `stories.${id}.headline`;
    if (!byId.has(id)) skip(key, `no story ${id}`);
    else if (mergedInto.has(id)) skip(key, `${id} is merged into ${root(id)}; pin the headline there`);
    else if ((members.get(id) ?? []).length === 0) skip(key, `${id} has no published articles`);
    else {
      note(id).headline = headline;
      applied.push(key);
    }
  }

  // The corrected stories, in the grouping's order; related stories through the merges.
  const survivors = grouping.stories.filter((s) => !mergedInto.has(s.id) && (members.get(s.id) ?? []).length > 0);
  const alive = new Set(survivors.map((s) => s.id));
  const absorbed = new Map<string, string[]>();
  for (const gone of mergedInto.keys()) {
    const to = root(gone);
    absorbed.set(to, [...(absorbed.get(to) ?? []), gone]);
  }
  const target = (id: string): string | null => (alive.has(id) ? id : mergedInto.has(id) ? root(id) : null);
  const stories: OverriddenStory[] = survivors.map((s) => {
    const folded = (absorbed.get(s.id) ?? []).sort(byText);
    const n = notes.get(s.id);
    if (!folded.length && !n) {
      // Untouched by the editor: the grouping's own lists, only pointed past merged stories.
      const related: ClusteredStory['related'] = [];
      for (const r of s.related) {
        const id = target(r.id);
        if (id !== null && id !== s.id && !related.some((x) => x.id === id)) related.push(id === r.id ? r : { ...r, id });
      }
      return { ...s, articles: members.get(s.id)!, related };
    }
    // The strongest link to each story any of them was near, with the names that link shares.
    const related = new Map<string, ClusteredStory['related'][number]>();
    for (const from of [s, ...folded.map((id) => byId.get(id)!)]) {
      for (const r of from.related) {
        const id = target(r.id);
        if (id === null || id === s.id) continue;
        const had = related.get(id);
        if (!had || r.score > had.score) related.set(id, { ...r, id });
      }
    }
    const list = members.get(s.id)!;
    return {
      ...s,
      articles: order ? [...list].sort(order) : list,
      related: [...related.values()].sort((a, b) => b.score - a.score || byText(a.id, b.id)),
      editor: editorNotes(n, folded),
    };
  });
  return { assignments, stories, hidden, applied, skipped };
}

/** What the stage noted for one story while applying the overrides. */
interface Notes {
  headline?: string;
  movedIn: Array<{ article: string; from: string | null }>;
  /** Where each article moved out went. */
  movedOut: string[];
  hidden: number;
}

function editorNotes(n: Notes | undefined, folded: string[]): EditorNotes {
  const edits: StoryEdit[] = [];
  if (n?.headline !== undefined) edits.push({ kind: 'headline' });
  if (folded.length) edits.push({ kind: 'merged', stories: folded });
  for (const m of [...(n?.movedIn ?? [])].sort((a, b) => byText(a.article, b.article))) edits.push({ kind: 'moved-in', article: m.article, from: m.from });
  if (n?.movedOut.length) edits.push({ kind: 'moved-out', count: n.movedOut.length, to: [...new Set(n.movedOut)].sort(byText) });
  if (n?.hidden) edits.push({ kind: 'hidden', count: n.hidden });
  const notes: EditorNotes = { mergedFrom: folded, edits };
  if (n?.headline !== undefined) notes.headline = n.headline;
  return notes;
}
