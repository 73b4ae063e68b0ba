import { Badge } from '@mantine/core';

/** The service's verdict on a stored decision's signature (it holds the key; the browser cannot check it). */
export function SignatureBadge({ valid }: { valid: boolean }) {
  return valid ? (
    <Badge color="green" variant="filled" title="The stored decision matches its signature">
      ✓ valid
    </Badge>
  ) : (
    <Badge color="red" variant="filled" title="The stored decision does not match its signature: it was altered">
      ✗ invalid
    </Badge>
  );
}
