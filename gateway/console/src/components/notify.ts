import { notifications } from '@mantine/notifications';
import { describeError } from '../api/errors';

export const notifySuccess = (message: string) => notifications.show({ color: 'green', message });
export const notifyError = (error: unknown, title = 'That did not work') => notifications.show({ color: 'red', title, message: describeError(error), autoClose: 8000 });
