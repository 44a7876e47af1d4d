import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Skeleton from '@material-ui/lab/Skeleton';

/**
 * Grey placeholders in the shape of what is loading, so the page doesn't
 * jump when it arrives: table rows, a card's lines, or a page of cards.
 * Announced once as "Loading …" (a progressbar, as Backstage's Progress).
 * @internal
 */
export const LoadingSkeleton = (props: {
  variant?: 'rows' | 'card' | 'cards';
  /** Rows or lines. */
  rows?: number;
  /** What is loading, for screen readers: "Loading incidents". */
  label?: string;
}) => {
  const { variant = 'rows', rows = 5, label = 'Loading' } = props;
  const lines = (n: number) =>
    Array.from({ length: n }, (_, i) => (
      <Skeleton key={i} variant="text" width={i === n - 1 ? '60%' : '100%'} />
    ));
  let body;
  if (variant === 'cards') {
    body = (
      <Grid container spacing={3}>
        {([7, 5, 7, 5] as const).map((md, i) => (
          <Grid item xs={12} md={md} key={i}>
            <Skeleton variant="rect" height={28} width="40%" />
            {lines(rows)}
          </Grid>
        ))}
      </Grid>
    );
  } else if (variant === 'card') {
    body = lines(rows);
  } else {
    body = Array.from({ length: rows }, (_, i) => (
      <Skeleton
        key={i}
        variant="rect"
        height={36}
        style={{ marginBottom: 8 }}
      />
    ));
  }
  return (
    <Box role="progressbar" aria-label={label} aria-busy="true">
      {body}
    </Box>
  );
};
