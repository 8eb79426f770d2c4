// Buttons: primary, secondary, danger and ghost, with a pending state that
// disables the button, shows a spinner and says what is happening.
import type { ComponentProps } from 'react';

const variants = {
  primary: 'bg-accent-600 text-white shadow-sm hover:bg-accent-700 disabled:bg-accent-500/60',
  secondary: 'bg-white text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-400',
  danger: 'bg-red-600 text-white shadow-sm hover:bg-red-700 disabled:bg-red-400',
  ghost: 'text-slate-700 hover:bg-slate-100 disabled:text-slate-400',
} as const;

export type ButtonVariant = keyof typeof variants;

/** The classes of a button, also used by links styled as buttons (see link-button.tsx). */
export function buttonClass(variant: ButtonVariant = 'primary', className = ''): string {
  return `inline-flex min-h-10 items-center justify-center gap-2 whitespace-nowrap rounded-md px-3.5 py-2 text-sm sm:min-h-9 font-medium transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-600 disabled:cursor-not-allowed ${variants[variant]} ${className}`;
}

export type ButtonProps = ComponentProps<'button'> & {
  variant?: ButtonVariant;
  pending?: boolean;
  pendingLabel?: string;
};

export function Button({ variant = 'primary', pending, pendingLabel, className = '', children, disabled, type = 'button', ...rest }: ButtonProps) {
  return (
    <button {...rest} type={type} disabled={disabled || pending} aria-busy={pending || undefined} className={buttonClass(variant, className)}>
      {pending && <span aria-hidden className="h-3.5 w-3.5 animate-spin rounded-full border-2 border-current border-r-transparent" />}
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}
