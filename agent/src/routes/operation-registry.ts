/** The daemon's one store of slow operations (per host paths: tests run several agents). */
import type { HostPaths } from "../config/paths";
import { OperationStore } from "../ops/operations/operation-store";

const stores = new Map<string, OperationStore>();

/** The store for `paths`, loaded from disk on first use. */
export function operationStore(paths: HostPaths): OperationStore {
  const key = paths.runDir;
  let store = stores.get(key);
  if (!store) {
    store = new OperationStore(paths);
    store.load();
    stores.set(key, store);
  }
  return store;
}
