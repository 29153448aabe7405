/**
 * The hub: its index, item resolution and collection expansion (used by replay, explain, hubtest),
 * and the hub client: fetch the index, read what is downloaded and installed in a CrowdSec config
 * directory (tainted, local, outdated), plan and apply install, remove and upgrade atomically.
 */
export {
  expandItems,
  findItemAnyKind,
  HUB_ITEM_KINDS,
  loadHubIndex,
  parseHubIndex,
  singular,
  type HubIndex,
  type HubItem,
  type HubItemKind,
} from "./hub-index";
/** config.yaml → hub_dir, config_dir, data_dir, index path, hub URL template and branch. */
export { DEFAULT_HUB_BRANCH, DEFAULT_HUB_URL_TEMPLATE, loadHubSettings, type HubLayout, type HubSettings } from "./layout";
/** Where hub and data files come from: the public hub, an http(s) mirror or a directory. */
export { dataSource, hubSource, sha256Hex, type DataSource, type HubSource } from "./source";
/** Each item's local state, read the way cscli reads it. */
export { DEPENDENCY_ORDER, readHubState, syncState, versionStatus, type HubItemState, type HubState, type VersionStatus } from "./state";
/** Install, remove and upgrade plans (dependency closure, tainted and shared items respected). */
export { fqName, installedRefs, planInstall, planRemove, planUpgrade, type HubAction, type HubOperation, type HubPlan, type InstallOptions, type ItemRef, type RemoveOptions } from "./plan";
/** Carrying out a plan atomically (staged, verified, then moved into place), and `hub update`. */
export { applyPlan, installPath, updateIndex, type ApplyOptions, type ApplyReport } from "./apply";
/** Status words, emoji and the inspect view, as cscli prints them. */
export { describePlan, inspectView, itemStatus, statusEmoji, statusText, type ItemStatus } from "./view";
