/**
 * The grid's look: ag-grid's Quartz theme with every colour taken from the workbench's CSS
 * variables (renderer/src/styles/theme.css), so light and dark follow the shell by themselves.
 * The theme's CSS is injected as <style> elements carrying the page's CSP nonce.
 */
import { themeQuartz } from 'ag-grid-community';

export const gridTheme = themeQuartz.withParams({
  fontFamily: 'var(--font)',
  fontSize: 13,
  headerFontSize: 12.5,
  headerFontWeight: 600,
  backgroundColor: 'var(--surface)',
  foregroundColor: 'var(--text)',
  textColor: 'var(--text)',
  subtleTextColor: 'var(--text-muted)',
  chromeBackgroundColor: 'var(--surface-sunken)',
  headerBackgroundColor: 'var(--surface-sunken)',
  headerTextColor: 'var(--text-muted)',
  borderColor: 'var(--border)',
  accentColor: 'var(--accent)',
  rowHoverColor: 'var(--surface-hover)',
  selectedRowBackgroundColor: 'var(--accent-soft)',
  oddRowBackgroundColor: 'var(--grid-odd-row)',
  inputFocusBorder: { color: 'var(--accent)' },
  invalidColor: 'var(--danger)',
  tooltipBackgroundColor: 'var(--surface)',
  tooltipTextColor: 'var(--text)',
  tooltipBorder: { color: 'var(--border-strong)' },
  wrapperBorderRadius: 'var(--radius)',
  borderRadius: 'var(--radius-small)',
  rowHeight: 32,
  headerHeight: 36,
  cellHorizontalPadding: 10,
  browserColorScheme: 'inherit',
});
