import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiError } from './api/errors';
import { NotAnOperator } from './auth/NotAnOperator';
import { mayUseConsole, type SessionUser } from './auth/session';
import { UserContext } from './auth/user-context';
import { Shell } from './layout/Shell';
import { PAGES } from './pages';
import { RouteError } from './layout/RouteError';
import { theme } from './theme';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      // A 4xx will not change by asking again; a 5xx or a network error might.
      retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});

// Every page is its own chunk, loaded when first opened (the initial bundle stays small).
const router = createBrowserRouter([
  {
    path: '/',
    element: <Shell />,
    errorElement: <RouteError />,
    children: PAGES.map((page) => ({
      index: page.path === '/',
      path: page.path === '/' ? undefined : page.path.slice(1) + '/*',
      lazy: async () => ({ Component: (await page.load()).default }),
    })),
  },
]);

export function App({ user }: { user: SessionUser }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      {mayUseConsole(user) ? (
        <UserContext.Provider value={user}>
          <QueryClientProvider client={queryClient}>
            <ModalsProvider>
              <Notifications position="top-right" />
              <RouterProvider router={router} />
            </ModalsProvider>
          </QueryClientProvider>
        </UserContext.Provider>
      ) : (
        <NotAnOperator user={user} />
      )}
    </MantineProvider>
  );
}
