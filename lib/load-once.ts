/**
 * `load` run on the first call only, its promise shared by every caller. A failed load is not kept: the next
 * call tries again. With a dynamic `import()` in `load`, a process that never calls gets the module never
 * evaluated (how the runtime keeps SDK clients off a tick with nothing to do).
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
