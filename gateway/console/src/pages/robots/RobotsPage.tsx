import { Button, Group, Modal, Stack } from '@mantine/core';
import { useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { CredentialsOnce } from './CredentialsOnce';
import type { RobotCredentials, RobotView } from './robot-api';
import { RegisterRobotModal } from './RegisterRobotModal';
import { RobotRegistry } from './RobotRegistry';

/** The robot registry: live state, registration (credentials shown once), secret rotation, deactivation. */
export default function RobotsPage() {
  const [registering, setRegistering] = useState(false);
  const [rotated, setRotated] = useState<{ robot: RobotView; credentials: RobotCredentials } | null>(null);

  return (
    <>
      <PageHeader
        title="Robots"
        description="Who is online, their battery, state and position, live."
        actions={<Button onClick={() => setRegistering(true)}>Register robot</Button>}
      />
      <RobotRegistry onRotated={(robot, credentials) => setRotated({ robot, credentials })} />
      <RegisterRobotModal opened={registering} onClose={() => setRegistering(false)} />
      <Modal opened={rotated !== null} onClose={() => setRotated(null)} title={`New secret for ${rotated?.robot.name ?? ''}`} size="lg" closeOnClickOutside={false}>
        {rotated && (
          <Stack>
            <CredentialsOnce credentials={rotated.credentials} />
            <Group justify="flex-end">
              <Button onClick={() => setRotated(null)}>Done</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
