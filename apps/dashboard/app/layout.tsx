import type { ReactNode } from 'react';
import { Shell } from '../components/shell';
import './globals.css';
import './live.css';

export const metadata = { title: 'Riderflow', description: 'Live delivery operations on an event log and task queues' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Shell>{children}</Shell>
      </body>
    </html>
  );
}
