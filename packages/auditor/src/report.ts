import type { Report } from './invariants';
import { invariantNames } from './violation';

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * The report for people: violations grouped under their invariant, in the order the invariants
 * are listed, one line each; then a summary line, last, so `tail -1` answers "is it clean?".
 */
export const formatReport = ({ violations, counts }: Report): string => {
  const lines = invariantNames.flatMap((invariant) => {
    const group = violations.filter((violation) => violation.invariant === invariant);
    if (group.length === 0) return [];
    return [
      `${invariant} (${group.length}):`,
      ...group.map(({ subject, message }) => `  ${subject}: ${message}`),
    ];
  });
  const outcome =
    violations.length === 0 ? 'no violations' : plural(violations.length, 'violation');
  lines.push(
    `audited ${plural(counts.events, 'event')}: ${plural(counts.orders, 'order')}, ` +
      `${plural(counts.products, 'product')}; ${outcome}`,
  );
  return lines.join('\n');
};
