import { Button, Group, TextInput, type MantineColor } from '@mantine/core';
import { useState, type ReactNode } from 'react';

export interface OneFieldFormProps {
  label: string;
  submitLabel: string;
  /** the action; the field is cleared when its promise resolves (a refusal keeps the text to fix) */
  onSubmit: (value: string) => Promise<unknown>;
  pending: boolean;
  /** when the button is enabled (default: the field is not empty) */
  canSubmit?: (value: string) => boolean;
  placeholder?: string;
  maxLength?: number;
  required?: boolean;
  color?: MantineColor;
  autoFocus?: boolean;
  /** an accessible name for the form, when the page has several */
  formLabel?: string;
  /** more controls beside the button */
  children?: ReactNode;
}

/**
 * The console's one-field forms (a project's name, a key's name, a number to block, a company, an 080 number,
 * a schedule's code typed to delete it): a labelled field and its button, submitted with Enter too.
 */
export function OneFieldForm({
  label,
  submitLabel,
  onSubmit,
  pending,
  canSubmit = (value) => value.trim() !== '',
  placeholder,
  maxLength,
  required,
  color,
  autoFocus,
  formLabel,
  children,
}: OneFieldFormProps) {
  const [value, setValue] = useState('');
  const enabled = canSubmit(value);
  return (
    <Group
      align="flex-end"
      component="form"
      aria-label={formLabel}
      onSubmit={(event) => {
        event.preventDefault();
        if (!enabled || pending) return;
        onSubmit(value).then(
          () => setValue(''),
          // the refusal is shown by the page (its mutation's error); the text stays to be corrected
          () => undefined,
        );
      }}
    >
      <TextInput
        label={label}
        value={value}
        onChange={(event) => setValue(event.currentTarget.value)}
        placeholder={placeholder}
        maxLength={maxLength}
        required={required}
        data-autofocus={autoFocus || undefined}
      />
      <Button type="submit" disabled={!enabled} loading={pending} color={color}>
        {submitLabel}
      </Button>
      {children}
    </Group>
  );
}
