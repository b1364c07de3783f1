/**
 * What stands for a person Steady was told to forget (`/steady forget @person`), wherever a kept
 * record names them (an escalation's owner, a timeline's actor). No platform gives a user id with a
 * space or brackets, and a typed mention cannot hold one, so it never meets a real person.
 */
export const FORMER_MEMBER_ID = '(former member)';

/** How such a person is shown, in chat, the dashboard and exports. */
export const FORMER_MEMBER_NAME = 'a former member';

export function isFormerMember(userId: string | null | undefined): boolean {
  return userId === FORMER_MEMBER_ID;
}
