import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dropzone/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { SignInFailed } from './auth/SignInFailed';
import { signIn } from './auth/session';

const root = createRoot(document.getElementById('root')!);

// Sign-in first (keycloak-js redirects to /keycloak when there is no session), then the app.
signIn().then(
  (user) => root.render(<StrictMode><App user={user} /></StrictMode>),
  (error: unknown) => root.render(<SignInFailed error={error} />),
);
