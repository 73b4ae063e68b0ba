import { createContext, useContext } from 'react';
import type { SessionUser } from './session';

export const UserContext = createContext<SessionUser | null>(null);

/** The signed-in operator (always set inside the app). */
export function useUser(): SessionUser {
  const user = useContext(UserContext);
  if (!user) throw new Error('useUser outside the signed-in app');
  return user;
}
