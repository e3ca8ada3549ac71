/**
 * Promise.all for parts that run at the same time and each write files or hold a connection: waits
 * for every part to settle, then gives their values in order or throws the first part's error (in
 * the parts' order). Promise.all would throw at the first rejection while the other parts still
 * write into the data folder, or use a connection the caller is about to close.
 */
export async function settleAll<T extends readonly unknown[]>(parts: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(parts);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
