/**
 * Whether `name` names this member: its id, or one of the aliases the adapter reported
 * (a plan may name an Azure SQL partner by server name, the adapter reports its ARM id).
 * Everything in core that compares a plan's `memberId` with what a cloud reported
 * compares through this.
 */
export function isMemberNamed(member: { id: string; aliases?: readonly string[] }, name: string): boolean {
  return member.id === name || (member.aliases?.includes(name) ?? false);
}
