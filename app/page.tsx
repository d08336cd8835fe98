// The lobby route: a server shell around the client-side form.
import { Lobby } from './components/lobby/Lobby';

export default function LobbyPage() {
  return <Lobby />;
}
