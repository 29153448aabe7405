/**
 * The per-request algorithm (APPSEC.md §2.4, upstream appsec_runner.go handleRequest): in-band
 * phase (pre_eval, rules, post_eval), the verdict and what an in-band match emits, then the
 * out-of-band phase, which can never change the verdict. Synchronous; the HTTP layer replies
 * between evaluateInBand and evaluateOutOfBand.
 */
import { newMap, type Event } from "../event";
import { runEngine, type Engine, type Interruption, type Removals } from "./engine";
import { accumulateMatch, alertEvent, baseEvent, type Band } from "./events";
import { requestValue, runHooks, stageVars, type CompiledHook, type HookHost, type StageVars } from "./hooks";
import type { AppsecRequest } from "./request";
import type { AppsecRuntime, PhaseHooks } from "./runtime";
import { RequestVariables } from "./variables";

/** The answer to the remediation component (§1.6). */
export interface AppsecVerdict {
  /** `action` of the JSON reply: allow, ban, captcha, … */
  readonly action: string;
  /** `http_status` of the JSON reply: what the bouncer shows the user. */
  readonly httpStatus: number;
  /** Status of the reply to the bouncer. */
  readonly bouncerStatus: number;
  readonly interrupted: boolean;
}

export interface AppsecEmitted {
  /** LOG events for the parsers (then scenarios). */
  readonly events: Event[];
  /** APPSEC events carrying a direct alert (Overflow.APIAlerts[0]). */
  readonly alerts: Event[];
}

export interface AppsecResult extends AppsecEmitted {
  readonly inband: AppsecVerdict;
  /** Which rule interrupted in-band, if any (for reports and tests). */
  readonly inbandRule?: string;
  readonly outofbandRule?: string;
}

export interface EvaluateOptions {
  /** Clock (ms since epoch) for event and alert times. */
  readonly nowMs?: number;
}

/** Mutable state of one request, and the host the hooks act on. */
class RequestState implements HookHost {
  action: string;
  userStatus: number;
  bouncerStatus: number;
  sendEvent = true;
  sendAlert = true;
  interrupted = false;
  pendingAction: string | undefined;
  pendingStatus: number | undefined;
  inbandDrop: string | undefined;
  outofbandDrop: string | undefined;
  disableBody = false;
  band: Band = "inband";
  inPreEval = false;
  removals: { inband?: { ids: Set<number>; tags: Set<string> }; outofband?: { ids: Set<number>; tags: Set<string> } } = {};
  readonly hookVars: Record<string, string> = newMap<string>();
  readonly vars: RequestVariables;
  private reqValue: Record<string, unknown> | undefined;
  private stages = new Map<string, StageVars>();

  constructor(
    readonly runtime: AppsecRuntime,
    readonly request: AppsecRequest,
    readonly nowMs: number,
  ) {
    const c = runtime.config;
    this.action = c.defaultPassAction;
    this.userStatus = c.userPassedHttpCode;
    this.bouncerStatus = c.passedHttpCode;
    this.vars = new RequestVariables(request);
  }

  /** The variables of a stage, with the request fields of the current phase. */
  stage(name: "pre_eval" | "post_eval" | "on_match", evt?: Event): StageVars {
    let v = this.stages.get(name);
    if (!v) {
      v = stageVars();
      this.stages.set(name, v);
    }
    this.runtime.hostSlot.host = this;
    v.IsInBand = this.band === "inband";
    v.IsOutBand = this.band === "outofband";
    v.req = (this.reqValue ??= requestValue(this.request));
    v.hook_vars = this.hookVars;
    if (evt) v.evt = evt;
    return v;
  }

  removeRuleById(band: Band, id: number): void {
    if (!this.inPreEval) return;
    if (band !== this.band) return this.runtime.warn(`cannot remove ${band} rule ${id} during the ${this.band} phase`);
    (this.removals[band] ??= { ids: new Set(), tags: new Set() }).ids.add(id);
  }
  removeRuleByTag(band: Band, tag: string): void {
    if (!this.inPreEval) return;
    if (band !== this.band) return this.runtime.warn(`cannot remove ${band} rules tagged "${tag}" during the ${this.band} phase`);
    (this.removals[band] ??= { ids: new Set(), tags: new Set() }).tags.add(tag);
  }
  // as upstream: these change the shared runtime, so a pre_eval call leaks to later requests
  setRemediationByTag(tag: string, action: string): void {
    this.runtime.remediationByTag.set(tag, action);
  }
  setRemediationById(id: number, action: string): void {
    this.runtime.remediationById.set(id, action);
  }
  setRemediation(action: string): void {
    if (this.inPreEval) this.pendingAction = action;
    else this.action = action;
  }
  setReturnCode(code: number): void {
    if (this.inPreEval) this.pendingStatus = code;
    else this.userStatus = code;
  }
  dropRequest(reason: string): void {
    const r = reason.trim() === "" ? "request dropped by drop helper" : reason.trim();
    if (this.band === "inband") {
      this.inbandDrop = r;
      this.interrupted = true;
      this.action = this.runtime.config.defaultRemediation;
      this.bouncerStatus = this.runtime.config.blockedHttpCode;
      this.userStatus = this.runtime.config.userBlockedHttpCode;
    } else this.outofbandDrop = r;
  }
  disableBodyInspection(): void {
    this.disableBody = true;
  }
  setEventEmission(kind: "event" | "alert", on: boolean): void {
    if (kind === "event") this.sendEvent = on;
    else this.sendAlert = on;
  }
  setMaxBodySize(): void {}
  setBodySizeExceededAction(): void {}
  currentRequest(): AppsecRequest {
    return this.request;
  }
  warn(message: string): void {
    this.runtime.warn(message);
  }

  applyPending(): void {
    if (this.pendingAction !== undefined) this.action = this.pendingAction;
    if (this.pendingStatus !== undefined) this.userStatus = this.pendingStatus;
    this.pendingAction = undefined;
    this.pendingStatus = undefined;
  }
}

function runPhaseHooks(state: RequestState, common: readonly CompiledHook[], own: readonly CompiledHook[], stage: "pre_eval" | "post_eval" | "on_match", evt?: Event): void {
  if (common.length === 0 && own.length === 0) return;
  const vars = state.stage(stage, evt);
  const err = runHooks(common, vars, stage, state.runtime.warn) ?? runHooks(own, vars, `${stage}[${state.band}]` as typeof stage, state.runtime.warn);
  if (err) state.runtime.warn(err);
}

/** One phase (upstream processRequest); undefined when no rule interrupted. */
function runPhase(state: RequestState, engine: Engine, own: PhaseHooks): Interruption | undefined {
  const rt = state.runtime;
  if (engine.rules.length === 0 && rt.common.preEval.length === 0 && own.preEval.length === 0 && rt.common.postEval.length === 0 && own.postEval.length === 0) {
    return undefined;
  }
  let interruption: Interruption | undefined;
  state.inPreEval = true;
  runPhaseHooks(state, rt.common.preEval, own.preEval, "pre_eval");
  state.inPreEval = false;
  const dropped = state.band === "inband" ? state.inbandDrop : state.outofbandDrop;
  if (dropped === undefined) {
    if (state.request.bodySizeExceeded && !state.disableBody) state.dropRequest("request body exceeded maximum allowed size");
    else {
      const removals: Removals | undefined = state.removals[state.band];
      interruption = runEngine(engine, state.vars, !state.disableBody, removals);
    }
  }
  runPhaseHooks(state, rt.common.postEval, own.postEval, "post_eval");
  return interruption;
}

/** Variables kept in evt.Appsec.Vars (variables_tracking) among the request's own collections. */
function trackedVariables(state: RequestState): Record<string, string> {
  const out = newMap<string>();
  const patterns = state.runtime.variablesTracking;
  if (patterns.length === 0) return out;
  for (const name of ["ARGS_GET", "REQUEST_HEADERS", "REQUEST_COOKIES", "REQUEST_METHOD", "REQUEST_FILENAME", "REQUEST_URI"] as const) {
    const c = state.vars.get(name, "none", false);
    for (let i = 0; i < c.keys.length; i++) {
      const key = c.keys[i] === "" ? name : `${name}.${c.keys[i]}`;
      if (c.values[i] !== "" && patterns.some((p) => p.test(key))) out[key] = c.values[i]!;
    }
  }
  return out;
}

function emit(state: RequestState, band: Band, interruption: Interruption | undefined, out: AppsecEmitted): void {
  const rt = state.runtime;
  const drop = band === "inband" ? state.inbandDrop : state.outofbandDrop;
  const evt = baseEvent(state.request, rt.labels, state.nowMs);
  accumulateMatch(evt, band, interruption, drop, trackedVariables(state));
  if (band === "inband") {
    state.interrupted = true;
    state.bouncerStatus = rt.config.blockedHttpCode;
    state.userStatus = rt.config.userBlockedHttpCode;
    state.action = rt.config.defaultRemediation;
    state.applyPending();
    const id = interruption ? interruption.chain.id : 0;
    const byId = rt.remediationById.get(id);
    if (byId !== undefined) state.action = byId;
    const tags = interruption ? interruption.rule.tags : ["crowdsec:drop-request", "crowdsec:drop-request:inband"];
    for (const [tag, action] of rt.remediationByTag) if (tags.includes(tag)) state.action = action;
  } else state.applyPending();
  const own = band === "inband" ? rt.inbandHooks : rt.outofbandHooks;
  runPhaseHooks(state, rt.common.onMatch, own.onMatch, "on_match", evt);
  if (Object.keys(state.hookVars).length > 0) {
    const snapshot = Object.assign(newMap<string>(), state.hookVars);
    evt.Appsec.HookVars = snapshot;
    for (const r of evt.Appsec.MatchedRules ?? []) r.hook_vars = snapshot;
  }
  if (state.sendAlert) {
    const alert = alertEvent(evt, state.request, state.nowMs);
    if (alert) out.alerts.push(alert);
  }
  if (state.sendEvent) out.events.push(evt);
}

/** The state between the in-band verdict and the out-of-band phase. */
export interface PendingRequest {
  readonly state: unknown;
}

/** In-band phase: the verdict to send and what the match emits. Call evaluateOutOfBand after replying. */
export function evaluateInBand(runtime: AppsecRuntime, request: AppsecRequest, opts: EvaluateOptions = {}): { verdict: AppsecVerdict; emitted: AppsecEmitted; rule?: string; pending: PendingRequest } {
  const state = new RequestState(runtime, request, opts.nowMs ?? Date.now());
  const emitted: AppsecEmitted = { events: [], alerts: [] };
  state.band = "inband";
  const interruption = runPhase(state, runtime.inband, runtime.inbandHooks);
  if (interruption || state.inbandDrop !== undefined) emit(state, "inband", interruption, emitted);
  const allow = state.action === "allow";
  const c = runtime.config;
  // for `allow` the pass codes are answered even after SetReturnCode (upstream appsecResponse)
  const verdict: AppsecVerdict = {
    action: state.action,
    httpStatus: allow ? c.userPassedHttpCode : state.userStatus,
    bouncerStatus: allow ? c.passedHttpCode : state.interrupted ? c.blockedHttpCode : state.bouncerStatus,
    interrupted: state.interrupted,
  };
  return { verdict, emitted, rule: interruption?.rule.name ?? state.inbandDrop, pending: { state } };
}

/** Out-of-band phase: events (and alerts a hook asked for); never changes the verdict. */
export function evaluateOutOfBand(pending: PendingRequest): { emitted: AppsecEmitted; rule?: string } {
  const state = pending.state as RequestState;
  const emitted: AppsecEmitted = { events: [], alerts: [] };
  state.band = "outofband";
  state.sendAlert = false;
  state.sendEvent = true;
  const interruption = runPhase(state, state.runtime.outofband, state.runtime.outofbandHooks);
  if (interruption || state.outofbandDrop !== undefined) emit(state, "outofband", interruption, emitted);
  return { emitted, rule: interruption?.rule.name ?? state.outofbandDrop };
}

/** Both phases: the in-band verdict and everything emitted (in-band first). */
export function evaluateRequest(runtime: AppsecRuntime, request: AppsecRequest, opts: EvaluateOptions = {}): AppsecResult {
  const inband = evaluateInBand(runtime, request, opts);
  const outofband = evaluateOutOfBand(inband.pending);
  return {
    inband: inband.verdict,
    events: [...inband.emitted.events, ...outofband.emitted.events],
    alerts: [...inband.emitted.alerts, ...outofband.emitted.alerts],
    inbandRule: inband.rule,
    outofbandRule: outofband.rule,
  };
}
