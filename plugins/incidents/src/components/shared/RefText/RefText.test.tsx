import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityPresentationApiRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RefText } from './RefText';
import { refsIn } from '../../../hooks/useReadableText';

const titles: Record<string, string> = {
  'component:default/storefront': 'Storefront',
  'user:default/dave': 'Dave Lee',
};
const presentationApi = {
  forEntity: (ref: string) => ({
    snapshot: { entityRef: ref, primaryTitle: ref },
    promise: Promise.resolve({
      entityRef: ref,
      primaryTitle: titles[ref] ?? ref,
    }),
  }),
};

describe('RefText', () => {
  it('finds full entity refs, not system actors', () => {
    expect(
      refsIn(
        'Paged user:default/dave for component:default/storefront by system:escalation',
      ),
    ).toEqual(['user:default/dave', 'component:default/storefront']);
  });

  it('shows display names with the ref on hover', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[entityPresentationApiRef, presentationApi]]}>
        <RefText text="Alert storm: 6 alerts on component:default/storefront" />
      </TestApiProvider>,
    );
    const name = await screen.findByText('Storefront');
    expect(screen.getByText(/Alert storm: 6 alerts on/).textContent).toBe(
      'Alert storm: 6 alerts on Storefront',
    );
    await userEvent.hover(name);
    expect(
      await screen.findByText('component:default/storefront'),
    ).toBeInTheDocument();
  });

  it('falls back to the entity name without a presentation API', async () => {
    await renderInTestApp(
      <RefText text="Paged user:default/dave (step 1/3)" />,
    );
    expect(screen.getByText('dave')).toBeInTheDocument();
  });
});
