// A minimal SMTP server on loopback that accepts every message, for tests of
// outgoing mail over a real socket. `onMessage` runs before the server confirms
// a message, so a test can look at the world as it is at the moment of delivery.
import net from 'node:net';

export type SunkMessage = { recipients: string[]; data: string };

/** A message's raw text with quoted-printable soft breaks and escapes undone. */
export function decodedText(message: SunkMessage): string {
  return message.data.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export type SmtpSink = { url: string; messages: SunkMessage[]; close: () => Promise<void> };

export async function startSmtpSink(onMessage?: (message: SunkMessage) => Promise<void>): Promise<SmtpSink> {
  const messages: SunkMessage[] = [];
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let current: SunkMessage | null = null;
    let inData = false;
    let work = Promise.resolve();

    const handle = async (line: string) => {
      if (inData) {
        if (line !== '.') {
          current!.data += `${line.startsWith('.') ? line.slice(1) : line}\n`;
          return;
        }
        inData = false;
        messages.push(current!);
        await onMessage?.(current!);
        current = null;
        socket.write('250 Queued\r\n');
        return;
      }
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO' || verb === 'HELO') socket.write('250 sink\r\n');
      else if (verb === 'MAIL') {
        current = { recipients: [], data: '' };
        socket.write('250 OK\r\n');
      } else if (verb === 'RCPT') {
        current?.recipients.push(line.replace(/^RCPT TO:\s*<?([^>]*)>?.*$/i, '$1'));
        socket.write('250 OK\r\n');
      } else if (verb === 'DATA') {
        inData = true;
        socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
      } else if (verb === 'QUIT') socket.end('221 Bye\r\n');
      else socket.write('250 OK\r\n');
    };

    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        work = work.then(() => handle(line));
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
