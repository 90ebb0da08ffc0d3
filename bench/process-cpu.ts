import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

// Linux reports CPU times in clock ticks of USER_HZ, 100 on every architecture Node runs on.
const ticksPerSecond = 100;

interface ProcStat {
  /** R, S, D, Z (exited, not yet waited for), ... */
  state: string;
  ppid: number;
  /** utime + stime of the process itself (all its threads), seconds. */
  own: number;
  /** cutime + cstime: its children that have exited and been waited for (and theirs), seconds. */
  waitedChildren: number;
}

/** /proc/<pid>/stat, read past the command name (which may hold spaces and parentheses). */
function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields from the 3rd (state) on: ppid is the 4th, utime, stime, cutime, cstime the 14th to 17th.
  const fields = text.slice(text.lastIndexOf(') ') + 2).split(' ');
  const ticks = (i: number) => Number(fields[i]) / ticksPerSecond;
  return { state: fields[0]!, ppid: Number(fields[1]), own: ticks(11) + ticks(12), waitedChildren: ticks(13) + ticks(14) };
}

/** CPU seconds (user + system) a process has used so far (Linux); NaN once it is gone. */
export function cpuSeconds(pid: number | undefined): number {
  const stat = pid ? procStat(pid) : undefined;
  return stat ? stat.own : NaN;
}

/**
 * CPU seconds (user + system) a process and every descendant have used so far, counting those
 * that exited and were waited for: a PostgreSQL server with its backends. NaN once it is gone.
 */
export function treeCpuSeconds(root: number | undefined): number {
  if (!root) return NaN;
  const table = processTable();
  if (!table.has(root)) return NaN;
  return processTree(root, table).reduce((sum, pid) => sum + table.get(pid)!.own, table.get(root)!.waitedChildren);
}

/**
 * CPU seconds so far of each named process, and of the records store's PostgreSQL with its
 * backends under 'records PostgreSQL': what a benchmark samples before and after a phase.
 */
export function cpuOfProcesses(processes: Record<string, number | undefined>, postgresPid: number | undefined): Record<string, number> {
  return { ...Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuSeconds(pid)])), 'records PostgreSQL': treeCpuSeconds(postgresPid) };
}

/** The parent of a process (the postmaster of a PostgreSQL backend); undefined once it is gone. */
export const parentOf = (pid: number): number | undefined => procStat(pid)?.ppid;

/** Every process on the machine now, by pid. */
export function processTable(): Map<number, ProcStat> {
  const table = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat) table.set(Number(entry), stat);
  }
  return table;
}

/** The pid and every descendant of it now living. */
export function processTree(root: number, table = processTable()): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree = table.has(root) ? [root] : [];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** Each process of a tree now: its own CPU seconds, its waited-for children's, and the part of the tree it belongs to. */
export type TreeSample = Map<number, { own: number; waitedChildren: number; part: string }>;

export function sampleTree(root: number, partOf: (pid: number) => string = () => '', table = processTable()): TreeSample {
  return new Map(processTree(root, table).map((pid) => [pid, { own: table.get(pid)!.own, waitedChildren: table.get(pid)!.waitedChildren, part: partOf(pid) }]));
}

/**
 * CPU seconds a tree used between two samples, by part; `exited` holds what the processes that
 * exited meanwhile used after the first sample (the kernel adds a child's whole time to the
 * parent that waits for it, and the first sample had counted some of it already).
 */
export function cpuByPart(before: TreeSample, after: TreeSample, exited = 'exited'): Map<string, number> {
  const parts = new Map<string, number>();
  const add = (part: string, seconds: number) => parts.set(part, (parts.get(part) ?? 0) + seconds);
  for (const [pid, end] of after) {
    add(end.part, end.own - (before.get(pid)?.own ?? 0));
    add(exited, end.waitedChildren - (before.get(pid)?.waitedChildren ?? 0));
  }
  for (const [pid, start] of before) if (!after.has(pid)) add(exited, -(start.own + start.waitedChildren));
  return parts;
}

/** CPU seconds of the whole machine so far, all cores: busy, and idle (waiting for I/O included), from /proc/stat. */
export function machineCpuSeconds(): { busy: number; idle: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { busy: (user! + nice! + system! + irq! + softirq! + steal!) / ticksPerSecond, idle: (idle! + iowait!) / ticksPerSecond };
}

/** The command line a process shows now (PostgreSQL's backends rewrite theirs: `postgres: user database host(port) state`). */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '(gone)';
  }
}

/** Peak resident memory of a process so far (Linux), in MiB. */
export function peakRssMiB(pid: number | undefined): string {
  const mib = statusMiB(pid, 'VmHWM');
  return Number.isNaN(mib) ? 'n/a' : mib.toFixed(0);
}

/** A process's resident memory now (VmRSS) in MiB; NaN once it has exited. */
export const rssMiB = (pid: number | undefined): number => statusMiB(pid, 'VmRSS');

function statusMiB(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** Cores, their model, memory and Node's version: the line each benchmark prints first. */
export function machineDescription(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}
