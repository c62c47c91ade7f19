from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.call_response import CallResponse
from ...models.compatibility_error_response import CompatibilityErrorResponse
from ...types import Response


def _get_kwargs(
    account_sid: UUID,
    sid: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/Accounts/{account_sid}/Calls/{sid}".format(
            account_sid=quote(str(account_sid), safe=""),
            sid=quote(str(sid), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CallResponse | CompatibilityErrorResponse | None:
    if response.status_code == 200:
        response_200 = CallResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = CompatibilityErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = CompatibilityErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = CompatibilityErrorResponse.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CallResponse | CompatibilityErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    account_sid: UUID,
    sid: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CallResponse | CompatibilityErrorResponse]:
    """Retrieve a Call

     Retrieve a call.

    #### Permissions

    The API token used to authenticate must have the following scope(s) enabled to make a successful
    request: _Voice_.

    [Learn more about API scopes](/docs/platform/your-signalwire-api-space).

    Args:
        account_sid (UUID):
        sid (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallResponse | CompatibilityErrorResponse]
    """

    kwargs = _get_kwargs(
        account_sid=account_sid,
        sid=sid,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_sid: UUID,
    sid: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> CallResponse | CompatibilityErrorResponse | None:
    """Retrieve a Call

     Retrieve a call.

    #### Permissions

    The API token used to authenticate must have the following scope(s) enabled to make a successful
    request: _Voice_.

    [Learn more about API scopes](/docs/platform/your-signalwire-api-space).

    Args:
        account_sid (UUID):
        sid (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallResponse | CompatibilityErrorResponse
    """

    return sync_detailed(
        account_sid=account_sid,
        sid=sid,
        client=client,
    ).parsed


async def asyncio_detailed(
    account_sid: UUID,
    sid: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CallResponse | CompatibilityErrorResponse]:
    """Retrieve a Call

     Retrieve a call.

    #### Permissions

    The API token used to authenticate must have the following scope(s) enabled to make a successful
    request: _Voice_.

    [Learn more about API scopes](/docs/platform/your-signalwire-api-space).

    Args:
        account_sid (UUID):
        sid (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallResponse | CompatibilityErrorResponse]
    """

    kwargs = _get_kwargs(
        account_sid=account_sid,
        sid=sid,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_sid: UUID,
    sid: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> CallResponse | CompatibilityErrorResponse | None:
    """Retrieve a Call

     Retrieve a call.

    #### Permissions

    The API token used to authenticate must have the following scope(s) enabled to make a successful
    request: _Voice_.

    [Learn more about API scopes](/docs/platform/your-signalwire-api-space).

    Args:
        account_sid (UUID):
        sid (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallResponse | CompatibilityErrorResponse
    """

    return (
        await asyncio_detailed(
            account_sid=account_sid,
            sid=sid,
            client=client,
        )
    ).parsed
