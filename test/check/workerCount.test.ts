// check's default number of worker threads (src/check/workerCount.ts): workers only
// where the measured cost of starting them can be repaid.
import { describe, expect, it } from "vitest";
import { defaultWorkerCount } from "../../src/check/workerCount.js";

describe("defaultWorkerCount", () => {
  it("starts none on two cores or fewer, however many files and however idle", () => {
    for (const cores of [1, 2]) for (const files of [1, 16, 60, 10_000]) expect(defaultWorkerCount(files, cores, 0)).toBe(1);
  });

  it("starts one for each idle core, at most one for every 8 files", () => {
    expect(defaultWorkerCount(60, 4, 0)).toBe(4);
    expect(defaultWorkerCount(60, 8, 0)).toBe(7);
    expect(defaultWorkerCount(60, 8, 1.5)).toBe(6);
    expect(defaultWorkerCount(16, 8, 0)).toBe(2);
    expect(defaultWorkerCount(1_000, 16, 3.2)).toBe(12);
  });

  it("starts none when that would make fewer than two: a hook's few files, a busy machine", () => {
    expect(defaultWorkerCount(15, 8, 0)).toBe(1);
    expect(defaultWorkerCount(3, 64, 0)).toBe(1);
    expect(defaultWorkerCount(60, 4, 2.5)).toBe(1);
    expect(defaultWorkerCount(60, 8, 7.9)).toBe(1);
    expect(defaultWorkerCount(60, 4, 40)).toBe(1);
  });

  it("counts every core idle where the system gives no load average (Windows gives 0)", () => {
    expect(defaultWorkerCount(60, 4, 0)).toBe(4);
    expect(defaultWorkerCount(60, 4, -1)).toBe(4);
  });
});
