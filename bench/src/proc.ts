import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** /proc counts CPU time in clock ticks, usually 100 a second; getconf says for sure. */
const ticksPerSecond = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time (user + system: utime and stime of /proc/<pid>/stat) a process has used so far, in
 * ms, to one clock tick (10 ms). Linux only; throws once the process is gone.
 */
export const cpuMs = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command (2nd field) is in parentheses and may hold spaces: count from the last one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
};

/** The CPU time of several processes together, ms. */
export const totalCpuMs = (pids: readonly number[]): number =>
  pids.reduce((sum, pid) => sum + cpuMs(pid), 0);

/** Resident memory of a process (VmRSS of /proc/<pid>/status), bytes. */
export const rssBytes = (pid: number): number => {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS in /proc/${pid}/status: has it exited?`);
  return Number(match[1]) * 1024;
};

/**
 * Read and write system calls a process has made so far (syscr and syscw of /proc/<pid>/io):
 * socket and file I/O alike. Linux only.
 */
export const ioCalls = (pid: number): { reads: number; writes: number } => {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1]);
  return { reads: field('syscr'), writes: field('syscw') };
};
