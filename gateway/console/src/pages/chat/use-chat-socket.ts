import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { chatKeys, mergeMessages, newestSeq, noteRoomSeq, type RoomMessages } from './chat-api';
import { ChatSocket, type ChatErrorFrame } from './chat-socket';

/**
 * The page's chat socket: live messages are written into the query cache (the same entries the
 * history fills), and a reconnect resumes every followed room after the newest seq held there.
 */
export function useChatSocket(onError: (frame: ChatErrorFrame) => void) {
  const queryClient = useQueryClient();
  const errors = useRef(onError);
  errors.current = onError;
  const [socket] = useState(
    () =>
      new ChatSocket({
        message: (message) => {
          mergeMessages(queryClient, message.room, [message]);
          noteRoomSeq(queryClient, message.room, message.seq);
        },
        error: (frame) => errors.current(frame),
        resumeFrom: (room) => newestSeq(queryClient.getQueryData<RoomMessages>(chatKeys.messages(room))),
      }),
  );
  useEffect(() => {
    socket.start();
    return () => socket.stop();
  }, [socket]);
  const state = useSyncExternalStore(socket.subscribe, () => socket.state);
  return { socket, state };
}
