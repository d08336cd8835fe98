'use client';
// After leaving: rejoin the same room (same devices) or go back to the lobby.
export function LeftScreen({ roomId, onRejoin }: { roomId: string; onRejoin(): void }) {
  return (
    <section className="card left-screen" data-testid="left-screen">
      <h1>You left the call</h1>
      <p className="muted">
        You are no longer connected to <span className="room-name">{roomId}</span>. Your camera and microphone are off.
      </p>
      <div className="actions">
        <button type="button" className="btn primary" onClick={onRejoin} data-testid="rejoin-button">
          Rejoin
        </button>
        <a className="btn ghost" href="/" data-testid="back-to-lobby">
          Back to lobby
        </a>
      </div>
    </section>
  );
}
