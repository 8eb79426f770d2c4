'use client';
// Moves focus to a form's first invalid field whenever its errors change, so
// keyboard and screen-reader users land on what needs fixing.
import { useEffect, type RefObject } from 'react';

export function useFocusFirstInvalid(form: RefObject<HTMLFormElement | null>, errorsKey: unknown) {
  useEffect(() => {
    if (!errorsKey) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [form, errorsKey]);
}
