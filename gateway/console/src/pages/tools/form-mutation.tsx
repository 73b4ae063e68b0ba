import { Alert } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { describeError, fieldErrorsOf } from '../../api/errors';
import { notifySuccess } from '../../components/notify';
import { TOOLS_KEY } from './tools-queries';

/**
 * A mutation of this page for a form: on success it refreshes the page's queries and says so; on
 * failure a 400's field errors go next to their fields (`fieldErrors.name`), anything else to
 * `formError` (shown by <FormError>, a 409 as a sentence).
 */
export function useFormMutation<TVariables, TData>(options: {
  mutationFn: (variables: TVariables) => Promise<TData>;
  success?: (data: TData, variables: TVariables) => string;
  onSuccess?: (data: TData, variables: TVariables) => void;
}) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: options.mutationFn,
    onSuccess: async (data, variables) => {
      await queryClient.invalidateQueries({ queryKey: TOOLS_KEY });
      if (options.success) notifySuccess(options.success(data, variables));
      options.onSuccess?.(data, variables);
    },
  });
  const fieldErrors = fieldErrorsOf(mutation.error);
  const formError = mutation.error && Object.keys(fieldErrors).length === 0 ? mutation.error : null;
  return { mutation, fieldErrors, formError };
}

/** The error of a form that belongs to no field (a 409, a 404, the fleet being down). */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title="Not saved">
      {describeError(error)}
    </Alert>
  );
}
