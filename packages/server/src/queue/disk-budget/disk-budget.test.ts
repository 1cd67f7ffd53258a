import { describe, expect, it } from "vitest";
import { DiskBudget, type DiskState, MEASURE_EVERY_MS, mappingAllowance } from "./disk-budget.js";
import { defaultReserveBytes, journalSegmentBytes, walLimitBytes } from "./disk-sizes.js";

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** A disk whose free space the test sets, and a clock it moves. */
function fakeDisk(totalBytes: number, freeBytes: number) {
  const disk = { totalBytes, freeBytes, reusableBytes: 0, now: 0 };
  const changes: DiskState[] = [];
  const budget = (reserveBytes?: number) =>
    new DiskBudget({
      dir: "/data",
      ...(reserveBytes === undefined ? {} : { reserveBytes }),
      measure: () => ({ totalBytes: disk.totalBytes, freeBytes: disk.freeBytes }),
      reusable: () => disk.reusableBytes,
      now: () => disk.now,
      onChange: (state) => changes.push(state),
    });
  return { disk, changes, budget };
}

describe("the default reserve", () => {
  it("is 5 % of the disk, from 16 MB to 1 GB, and never more than a quarter of it", () => {
    expect(defaultReserveBytes(24 * MB)).toBe(6 * MB);
    expect(defaultReserveBytes(100 * MB)).toBe(16 * MB);
    expect(defaultReserveBytes(10 * GB)).toBe(512 * MB);
    expect(defaultReserveBytes(500 * GB)).toBe(GB);
  });

  it("sizes the journal's segments and the WAL to the disk", () => {
    expect(journalSegmentBytes(24 * MB)).toBe(MB);
    expect(journalSegmentBytes(500 * GB)).toBe(64 * MB);
    expect(walLimitBytes(6 * MB)).toBe(1.5 * MB);
    expect(walLimitBytes(GB)).toBe(8 * MB);
  });
});

describe("the disk budget", () => {
  it("turns low below the reserve, and back only a tenth of the reserve above it", () => {
    const { disk, changes, budget } = fakeDisk(GB, 200 * MB);
    const subject = budget(100 * MB);
    expect(subject.current()).toMatchObject({ low: false, short: false });
    disk.freeBytes = 99 * MB;
    expect(subject.measure()).toMatchObject({ low: true, short: true, resumeBytes: 110 * MB });
    disk.freeBytes = 105 * MB;
    expect(subject.measure().low).toBe(true);
    disk.freeBytes = 111 * MB;
    expect(subject.measure()).toMatchObject({ low: false, short: true });
    expect(changes.map((state) => [state.low, state.short])).toEqual([
      [true, true],
      [false, true],
    ]);
  });

  it("counts space free inside the store's files, but keeps half the reserve free on the disk itself", () => {
    const { disk, budget } = fakeDisk(GB, 60 * MB);
    const subject = budget(100 * MB);
    expect(subject.current().low).toBe(true);
    disk.reusableBytes = 50 * MB;
    expect(subject.measure().low).toBe(false);
    disk.freeBytes = 40 * MB;
    disk.reusableBytes = 500 * MB;
    expect(subject.measure().low).toBe(true);
  });

  it("measures at most every 250 ms, subtracting what was written and what is held meanwhile", () => {
    const { disk, budget } = fakeDisk(GB, 300 * MB);
    const subject = budget(100 * MB);
    subject.spend(150 * MB);
    expect(subject.current()).toMatchObject({ freeBytes: 150 * MB, short: true, low: false });
    const release = subject.hold(60 * MB);
    expect(subject.current()).toMatchObject({ freeBytes: 90 * MB, low: true });
    release();
    release();
    expect(subject.current().freeBytes).toBe(150 * MB);
    // The disk took the write: the next measurement sees it, and forgets what was spent.
    disk.freeBytes = 150 * MB;
    disk.now += MEASURE_EVERY_MS;
    expect(subject.current().freeBytes).toBe(150 * MB);
  });

  it("looks at the disk again before an estimate turns it low", () => {
    const { disk, budget } = fakeDisk(GB, 300 * MB);
    const subject = budget(100 * MB);
    disk.freeBytes = 280 * MB;
    subject.spend(250 * MB);
    expect(subject.current()).toMatchObject({ freeBytes: 280 * MB, low: false });
  });

  it("reports a disk that is low or short already at the start", () => {
    const { changes, budget } = fakeDisk(GB, 150 * MB);
    budget(100 * MB);
    expect(changes.map((state) => [state.low, state.short])).toEqual([[false, true]]);
  });
});

describe("the mapping allowance", () => {
  const state = (freeBytes: number, reusableBytes = 0) =>
    ({
      dir: "/data",
      totalBytes: GB,
      freeBytes,
      reusableBytes,
      reserveBytes: 100 * MB,
      resumeBytes: 110 * MB,
      low: false,
      short: false,
    }) satisfies DiskState;

  it("lets mapping run ahead of delivery only with what it takes above twice the reserve", () => {
    expect(mappingAllowance(state(800 * MB), false)).toBe(100 * MB);
    expect(mappingAllowance(state(190 * MB), false)).toBe(0);
  });

  it("lets mapping that feeds delivery use the reserve down to its half", () => {
    expect(mappingAllowance(state(110 * MB), true)).toBe(10 * MB);
    expect(mappingAllowance(state(40 * MB), true)).toBe(0);
  });

  it("counts space the file can reuse, but needs the WAL's share on the disk itself", () => {
    expect(mappingAllowance(state(100 * MB, 500 * MB), false)).toBe(0);
    expect(mappingAllowance(state(250 * MB, 500 * MB), false)).toBe(50 * MB);
  });
});
