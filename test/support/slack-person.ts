import { buttonsIn } from './block-kit-text';
import { BOT_USER, type SlackMessage } from './fake-slack';
import type { SlackRig } from './slack-rig';

export type ButtonPlace = SlackMessage | { readonly home: true } | { readonly ephemeral: readonly any[]; readonly channel?: string };

/** One person of the workspace, doing what people do in Slack. */
export class SlackPerson {
  constructor(
    private readonly rig: SlackRig,
    readonly userId: string,
    readonly channel: string,
    /** Another workspace (or a team of a Grid org) than the rig's own. */
    private readonly place: { readonly teamId: string; readonly enterpriseId?: string } | undefined = undefined,
  ) {}

  in(channel: string): SlackPerson {
    return new SlackPerson(this.rig, this.userId, channel, this.place);
  }

  private get teamId(): string {
    return this.place?.teamId ?? this.rig.teamId;
  }

  private get user() {
    const known = this.rig.slack.users.get(this.userId);
    return { id: this.userId, username: known?.name ?? this.userId, name: known?.name ?? this.userId, team_id: this.teamId };
  }

  /** Types a slash command, e.g. `command('/steady', 'tz Europe/Berlin')`. */
  command(
    command: string,
    text = '',
    options: { readonly triggerId?: string; readonly settle?: boolean; readonly expiredResponseUrl?: boolean } = {},
  ): Promise<{ status: number; text: string }> {
    const responseId = this.rig.nextResponseId(this.userId, options.expiredResponseUrl);
    const body = new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: this.teamId,
      team_domain: 'acme-ops',
      channel_id: this.channel,
      channel_name: this.rig.slack.channelNames.get(this.channel) ?? this.channel.toLowerCase(),
      user_id: this.userId,
      user_name: this.user.name,
      command,
      text,
      api_app_id: 'A0STEADY',
      is_enterprise_install: 'false',
      ...(this.place?.enterpriseId ? { enterprise_id: this.place.enterpriseId } : {}),
      response_url: this.rig.slack.responseUrl(responseId),
      trigger_id: options.triggerId ?? this.rig.nextTriggerId(this.userId),
    });
    return this.rig.post(body.toString(), 'application/x-www-form-urlencoded', { settle: options.settle ?? true, answersTo: responseId });
  }

  /** Presses the button with this label in a message, the App Home or an ephemeral answer. */
  press(label: string, where: ButtonPlace, options: { readonly actionTs?: string } = {}): Promise<{ status: number; text: string }> {
    const blocks = 'home' in where ? (this.rig.home(this.userId) ?? []) : 'ephemeral' in where ? where.ephemeral : where.blocks;
    const button = buttonsIn(blocks).find((b) => b.label === label);
    if (!button) throw new Error(`no button "${label}" in: ${this.rig.visible(blocks)}`);
    const actionTs = options.actionTs ?? (Date.now() / 1000).toFixed(6);
    const action = {
      action_id: button.actionId,
      block_id: button.blockId ?? 'b1',
      text: { type: 'plain_text', text: label },
      value: button.value,
      type: 'button',
      action_ts: actionTs,
    };
    const common = {
      type: 'block_actions',
      user: this.user,
      api_app_id: 'A0STEADY',
      token: 'legacy-verification-token',
      trigger_id: this.rig.nextTriggerId(this.userId),
      team: { id: this.teamId, domain: 'acme-ops' },
      enterprise: null,
      is_enterprise_install: false,
      actions: [action],
    };
    if ('home' in where) {
      const viewId = `VHOME${this.userId}`;
      return this.rig.interactive({
        ...common,
        container: { type: 'view', view_id: viewId },
        view: { id: viewId, type: 'home', blocks, hash: 'hh' },
      });
    }
    if ('ephemeral' in where) {
      const channel = where.channel ?? this.channel;
      return this.rig.interactive({
        ...common,
        container: { type: 'message', message_ts: '1764489599.000001', channel_id: channel, is_ephemeral: true },
        channel: { id: channel, name: channel.toLowerCase() },
        response_url: this.rig.nextResponseUrl(this.userId),
      });
    }
    return this.rig.interactive({
      ...common,
      container: { type: 'message', message_ts: where.ts, channel_id: where.channel, is_ephemeral: false },
      channel: { id: where.channel, name: where.channel.toLowerCase() },
      message: {
        type: 'message',
        ts: where.ts,
        ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
        text: where.text,
        blocks: where.blocks,
        user: BOT_USER,
        bot_id: 'B0BOT',
      },
      response_url: this.rig.nextResponseUrl(this.userId),
    });
  }

  /**
   * Fills in and submits a modal as the Slack client would: fields not given keep their initial
   * value. Values: text as a string, people as user ids, a channel as its id, a date-time as an ISO
   * instant, a date as YYYY-MM-DD, a time as HH:MM, options by value, a checkbox as a boolean.
   */
  async submit(
    values: Record<string, unknown>,
    opened = this.rig.lastModal(this.userId),
    options: {
      readonly settle?: boolean;
      /** Element states sent as given, by block id: what no Slack client sends (a forged request). */
      readonly rawState?: Record<string, Record<string, unknown>>;
      /** private_metadata sent instead of the modal's own. */
      readonly privateMetadata?: string;
    } = {},
  ): Promise<{ status: number; body: any }> {
    if (!opened) throw new Error(`${this.userId} has no modal open`);
    const state: Record<string, Record<string, unknown>> = {};
    for (const block of opened.view.blocks as any[]) {
      if (block.type !== 'input') continue;
      const el = block.element;
      state[block.block_id] = { [el.action_id]: elementState(el, values[block.block_id]) };
    }
    for (const key of Object.keys(values)) if (!state[key]) throw new Error(`the modal has no field "${key}"`);
    for (const [blockId, element] of Object.entries(options.rawState ?? {})) {
      const actionId = Object.keys(state[blockId] ?? {})[0] ?? blockId;
      state[blockId] = { [actionId]: element };
    }
    const res = await this.rig.interactive(
      {
        type: 'view_submission',
        team: { id: this.teamId, domain: 'acme-ops' },
        user: this.user,
        api_app_id: 'A0STEADY',
        token: 'legacy-verification-token',
        trigger_id: this.rig.nextTriggerId(this.userId),
        view: {
          id: opened.id,
          team_id: this.teamId,
          type: 'modal',
          blocks: opened.view.blocks,
          private_metadata: options.privateMetadata ?? opened.view.private_metadata ?? '',
          callback_id: opened.view.callback_id,
          state: { values: state },
          hash: opened.hash,
          title: opened.view.title,
        },
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      },
      options.settle === undefined ? {} : { settle: options.settle },
    );
    return { status: res.status, body: res.text ? JSON.parse(res.text) : undefined };
  }

  /** A message to the bot in its DM (message.im). */
  dm(text: string, options: { readonly eventId?: string; readonly retryNum?: number } = {}): Promise<{ status: number; text: string }> {
    const ts = (Date.now() / 1000).toFixed(6);
    return this.rig.sendEvent(
      { type: 'message', channel: this.rig.slack.dmChannel(this.userId), user: this.userId, text, ts, event_ts: ts, channel_type: 'im' },
      options,
    );
  }

  /** Opens the app's Home tab. */
  openHome(): Promise<{ status: number; text: string }> {
    return this.rig.sendEvent({
      type: 'app_home_opened',
      user: this.userId,
      channel: this.rig.slack.dmChannel(this.userId),
      tab: 'home',
      event_ts: (Date.now() / 1000).toFixed(6),
    });
  }
}

function elementState(el: any, given: unknown): Record<string, unknown> {
  const type = el.type as string;
  const has = given !== undefined;
  switch (type) {
    case 'plain_text_input':
      return { type, value: has ? (given as string | null) : (el.initial_value ?? null) };
    case 'users_select':
      return { type, selected_user: has ? given : (el.initial_user ?? null) };
    case 'multi_users_select':
      return { type, selected_users: has ? given : (el.initial_users ?? []) };
    case 'conversations_select':
      return { type, selected_conversation: has ? given : (el.initial_conversation ?? null) };
    case 'datetimepicker':
      return {
        type,
        selected_date_time: has
          ? given === null
            ? null
            : Math.floor(new Date(given as string).getTime() / 1000)
          : (el.initial_date_time ?? null),
      };
    case 'datepicker':
      return { type, selected_date: has ? given : (el.initial_date ?? null) };
    case 'timepicker':
      return { type, selected_time: has ? given : (el.initial_time ?? null) };
    case 'static_select': {
      const option = has ? el.options.find((o: any) => o.value === given) : el.initial_option;
      if (has && given !== null && !option) throw new Error(`no option "${String(given)}"`);
      return { type, selected_option: option ?? null };
    }
    case 'multi_static_select': {
      const options = has ? el.options.filter((o: any) => (given as string[]).includes(o.value)) : (el.initial_options ?? []);
      return { type, selected_options: options };
    }
    case 'checkboxes':
      return { type, selected_options: has ? (given ? el.options : []) : (el.initial_options ?? []) };
    default:
      throw new Error(`the rig cannot fill a ${type}`);
  }
}
