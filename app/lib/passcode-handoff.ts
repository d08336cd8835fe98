// How a room's passcode reaches the room page. The lobby hands it over through sessionStorage
// (this tab only, gone when the tab closes) rather than the URL, so it stays out of the address
// bar, the history and any server log. QA links may carry it as `passcode=` instead; it is read in
// the browser only, so the server never puts it back into the page it renders.
const keyOf = (roomId: string) => `mesh-vs-sfu:passcode:${roomId}`;

export function handOverPasscode(roomId: string, passcode: string): void {
  if (passcode) sessionStorage.setItem(keyOf(roomId), passcode);
  else sessionStorage.removeItem(keyOf(roomId));
}

/** The passcode for this room: the link's `passcode=`, else the one the lobby handed over, else ''. */
export function receivePasscode(roomId: string): string {
  const fromLink = new URLSearchParams(window.location.search).get('passcode');
  return fromLink ?? sessionStorage.getItem(keyOf(roomId)) ?? '';
}
