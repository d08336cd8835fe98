// The lobby route: a server shell around the client-side form, and the join QR code on a LAN.
import { JoinQr } from './components/lobby/JoinQr';
import { Lobby } from './components/lobby/Lobby';

export default function LobbyPage() {
  return (
    <>
      <Lobby />
      <JoinQr />
    </>
  );
}
