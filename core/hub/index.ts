/** The hub: its index, item resolution and collection expansion (the hub client builds on these). */
export {
  expandItems,
  findItemAnyKind,
  HUB_ITEM_KINDS,
  loadHubIndex,
  singular,
  type HubIndex,
  type HubItem,
  type HubItemKind,
} from "./hub-index";
