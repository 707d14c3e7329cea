import { MantineProvider } from '@mantine/core';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { LanguageProvider } from '../i18n';
import { ContentField } from './content-field';

function Harness({ international = false }: { international?: boolean }) {
  const [content, setContent] = useState('');
  return (
    <MantineProvider>
      <LanguageProvider language="en">
        <ContentField
          content={content}
          subject=""
          fileCount={0}
          international={international}
          onContent={setContent}
        />
      </LanguageProvider>
    </MantineProvider>
  );
}

describe('<ContentField>', () => {
  it('counts as one types, and switches SMS → LMS at 91 bytes', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const box = screen.getByRole('textbox', { name: 'Content' });
    await waitFor(() => expect(screen.getByTestId('byte-count').textContent).toBe('0 / 90 bytes'));
    await user.click(box);
    await user.paste('가'.repeat(45));
    await waitFor(() => expect(screen.getByTestId('message-type').textContent).toBe('SMS'));
    await user.type(box, 'a');
    await waitFor(() => expect(screen.getByTestId('message-type').textContent).toBe('LMS'));
    expect(screen.getByTestId('byte-count').textContent).toBe('91 / 2000 bytes');
  });

  it('highlights a character CP949 cannot carry', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('textbox', { name: 'Content' }));
    await user.paste('안녕😀');
    const marked = await screen.findByTestId('unencodable-preview');
    expect(marked.querySelector('mark')?.textContent).toBe('😀');
  });

  it('counts GSM-7 parts abroad', async () => {
    const user = userEvent.setup();
    render(<Harness international />);
    await user.click(screen.getByRole('textbox', { name: 'Content' }));
    await user.paste('a'.repeat(161));
    await waitFor(() => expect(screen.getByTestId('parts-count').textContent).toBe('161 units · 2 parts'));
    expect(screen.getByTestId('message-type').textContent).toBe('GSM-7');
  });
});
