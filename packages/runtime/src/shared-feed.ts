import type { ProjectionSpec } from './projection';

/**
 * Read models fed by the same events, kept by one projection: one ordered consumer and one
 * checkpoint instead of one each, so each event crosses the bus to the service once and is
 * decoded once. Its version is the sum of the members' versions: bumping any member's version
 * rebuilds them all, since they share the checkpoint.
 */
export const sharingOneFeed = (
  name: string,
  members: readonly ProjectionSpec[],
): ProjectionSpec => {
  const [first, ...rest] = members;
  if (first === undefined) throw new Error(`projection ${name} has no read models to feed`);
  for (const member of rest) {
    if (member.stream !== first.stream || member.filterSubject !== first.filterSubject) {
      throw new Error(
        `projection ${name} cannot share one feed: ${member.name} reads ${member.stream} ` +
          `${member.filterSubject}, ${first.name} reads ${first.stream} ${first.filterSubject}`,
      );
    }
  }
  const resuming = members.filter((member) => member.resume !== undefined);
  const rejecting = members.filter((member) => member.rejected !== undefined);
  return {
    name,
    version: members.reduce((sum, member) => sum + member.version, 0),
    stream: first.stream,
    filterSubject: first.filterSubject,
    collections: members.flatMap((member) => member.collections),
    project: (event) => members.flatMap((member) => member.project(event)),
    ...(resuming.length > 0 && {
      resume: async (store) => {
        for (const member of resuming) await member.resume?.(store);
      },
    }),
    ...(rejecting.length > 0 && {
      rejected: (violation) => rejecting.flatMap((member) => member.rejected?.(violation) ?? []),
    }),
  };
};
