/** The samples of a Prometheus text exposition, as `[name, labels, value]`. */
export const samplesOf = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
      if (!match) throw new Error(`not a Prometheus sample: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k!, v!]),
      );
      return { name: match[1]!, labels, value: Number(match[3]) };
    });

/** The metric families a process declares (`# TYPE` lines), samples or not. */
export const familiesOf = (text: string): Set<string> =>
  new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map(([, name]) => name!));

/** The sum of the samples of `name` whose labels include `labels`. */
export const sumOf = (text: string, name: string, labels: Record<string, string> = {}) =>
  samplesOf(text)
    .filter(
      (sample) =>
        sample.name === name &&
        Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((sum, sample) => sum + sample.value, 0);

export const scrape = async (graphqlUrl: string): Promise<string> => {
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'));
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
};
