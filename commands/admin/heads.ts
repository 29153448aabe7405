/** Names and summaries of the admin groups: what --help lists without loading the groups themselves. */
export interface AdminGroupHead {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
}

export const DECISIONS_HEAD: AdminGroupHead = {
  name: "decisions",
  aliases: ["decision"],
  summary: "Manage decisions: list, add, delete and import them (through a Local API or the database)",
};

export const ALERTS_HEAD: AdminGroupHead = {
  name: "alerts",
  aliases: ["alert"],
  summary: "Manage alerts: list, inspect and delete them (through a Local API or the database), flush old ones",
};

export const BOUNCERS_HEAD: AdminGroupHead = {
  name: "bouncers",
  aliases: ["bouncer"],
  summary: "Manage the Local API's bouncers: add, list and delete them (on the database)",
};

export const MACHINES_HEAD: AdminGroupHead = {
  name: "machines",
  aliases: ["machine"],
  summary: "Manage the Local API's machines: add, list, delete and validate them (on the database)",
};
