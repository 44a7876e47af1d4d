import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ChangeFailureReport } from '@vigil/plugin-incidents-common';
import { formatSeconds } from './insightsData';

type Item = ChangeFailureReport['items'][number];

/**
 * DORA's change failure view per component: incidents, those linked to a
 * change or deploy, and how long those took to recover (opened → resolved).
 */
export const ChangeFailure = (props: { report: ChangeFailureReport }) => {
  const columns: TableColumn<Item>[] = [
    {
      title: 'Component',
      render: i => <EntityRefLink entityRef={i.entityRef} />,
    },
    { title: 'Incidents', field: 'incidents', type: 'numeric' },
    { title: 'From a change', field: 'changeLinked', type: 'numeric' },
    {
      title: 'Share',
      field: 'changeLinkedShare',
      type: 'numeric',
      render: i => `${i.changeLinkedShare}%`,
    },
    {
      title: 'Recovery median',
      render: i => formatSeconds(i.recovery.median),
    },
    { title: 'Recovery p90', render: i => formatSeconds(i.recovery.p90) },
  ];
  return (
    <Table<Item>
      options={{
        paging: props.report.items.length > 10,
        pageSize: 10,
        search: false,
        padding: 'dense',
        toolbar: false,
      }}
      columns={columns}
      data={props.report.items}
      emptyContent={
        <Box p={2}>
          <Typography>No incidents in this range.</Typography>
        </Box>
      }
    />
  );
};
