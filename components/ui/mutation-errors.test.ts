import { describe, expect, it } from 'vitest';
import { fieldError, formError, plainMessage } from './mutation-errors';

describe('plainMessage', () => {
  it.each([
    ['Too big: expected string to have <=80 characters', 'Can be at most 80 characters'],
    ['Too big: expected string to have <81 characters', 'Can be at most 80 characters'],
    ['Too small: expected string to have >=1 characters', 'This can’t be empty'],
    ['Too small: expected string to have >=12 characters', 'Can be at least 12 characters'],
    ['Too big: expected number to be <=10000', 'Must be at most 10000'],
    ['Too small: expected number to be >=1000', 'Must be at least 1000'],
    ['Too small: expected number to be >0', 'Must be at least 1'],
    ['Too big: expected array to have <=50 items', 'Can have at most 50 items'],
    ['Invalid input: expected number, received NaN', 'Enter a number'],
    ['Invalid input: expected string, received undefined', 'This is required'],
    ['Invalid option: expected one of "hard"|"soft"', 'Choose one of the options'],
    ['Invalid UUID', 'Choose an item from the list'],
    ['Name can be at most 80 characters', 'Name can be at most 80 characters'],
  ])('%s → %s', (raw, plain) => {
    expect(plainMessage(raw)).toBe(plain);
  });
});

describe('reading a tRPC error', () => {
  const error = (message: string, fieldErrors: Record<string, string[]> | null) => ({ message, data: { fieldErrors } });

  it('gives each field its message in plain English', () => {
    const e = error('x', { name: ['Too big: expected string to have <=80 characters'] });
    expect(fieldError(e, 'name')).toBe('Can be at most 80 characters');
    expect(fieldError(e, 'other')).toBeUndefined();
    expect(formError(e)).toBeUndefined();
  });

  it('rewrites each part of a several-problem message', () => {
    const e = error('models.0: Too big: expected string to have <=200 characters; priority: Too small: expected number to be >=0', null);
    expect(formError(e)).toBe('models.0: Can be at most 200 characters; priority: Must be at least 0');
  });

  it('keeps a domain message as written', () => {
    expect(formError(error('A budget with that name already exists', null))).toBe('A budget with that name already exists');
  });
});
